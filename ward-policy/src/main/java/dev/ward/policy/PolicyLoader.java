package dev.ward.policy;

import dev.ward.policy.yaml.ErrorCode;
import dev.ward.policy.istio.AuthorizationPolicy;
import dev.ward.policy.yaml.PolicyDocuments;
import dev.ward.policy.yaml.PolicyParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads KubeArmorPolicy YAML from files, directories or text, validating everything and collecting every problem
 * of every file before failing, so that one run of {@code ward policy lint} shows all of them.
 *
 * <pre>{@code
 * try {
 *     List<KubeArmorPolicy> ps = PolicyLoader.load(List.of(Path.of("policies/")));
 * } catch (PolicyException e) {
 *     System.err.println(e.format());   // file:line:col: error[WP005]: ... with the line and a caret
 * }
 * }</pre>
 */
public final class PolicyLoader {
    private PolicyLoader() {
    }

    /** Largest policy file read; policies are small, and an agent must not read a huge file into memory. */
    static final long MAX_FILE_BYTES = 4L << 20;

    /**
     * Loads files and directories (a directory contributes its *.yaml and *.yml files, not recursively, sorted by
     * name); every file may hold several documents separated by "---".
     *
     * @throws PolicyException with every problem of every file, including files that cannot be read and policy
     *                         names used twice
     */
    public static List<KubeArmorPolicy> load(List<Path> filesOrDirs) throws PolicyException {
        List<Problem> problems = new ArrayList<>();
        List<KubeArmorPolicy> out = new ArrayList<>();
        for (Path p : filesOrDirs) {
            if (Files.isDirectory(p)) {
                for (Path f : yamlFiles(p, problems)) {
                    out.addAll(loadFile(f, problems));
                }
            } else {
                out.addAll(loadFile(p, problems));
            }
        }
        checkDuplicates(out, problems);
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return List.copyOf(out);
    }

    /** Parses YAML text; {@code sourceName} is used in positions (e.g. "WARD_POLICY" or a file name). */
    public static List<KubeArmorPolicy> parse(String yaml, String sourceName) throws PolicyException {
        List<Problem> problems = new ArrayList<>();
        List<KubeArmorPolicy> out = PolicyParser.parse(yaml, sourceName, problems);
        checkDuplicates(out, problems);
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return List.copyOf(out);
    }

    /**
     * Like {@link #load}, but files may also hold Istio AuthorizationPolicy documents ({@code ward policy lint});
     * warnings are returned, errors thrown as by {@link #load}.
     */
    public static PolicyFiles loadAll(List<Path> filesOrDirs) throws PolicyException {
        List<Problem> problems = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        List<KubeArmorPolicy> kubeArmor = new ArrayList<>();
        List<AuthorizationPolicy> authorization = new ArrayList<>();
        for (Path p : filesOrDirs) {
            for (Path f : Files.isDirectory(p) ? yamlFiles(p, problems) : List.of(p)) {
                String text = readText(f, problems);
                if (text != null) {
                    PolicyDocuments.Parsed d = PolicyDocuments.parse(text, f.toString(), problems, warnings);
                    kubeArmor.addAll(d.kubeArmor());
                    authorization.addAll(d.authorization());
                }
            }
        }
        checkDuplicates(kubeArmor, problems);
        checkAuthorizationDuplicates(authorization, problems);
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return new PolicyFiles(kubeArmor, authorization, warnings);
    }

    /**
     * Like {@link #parse}, but the text may also hold Istio AuthorizationPolicy documents (what {@code ward policy
     * add} sends the relay and the relay sends an agent).
     */
    public static PolicyFiles parseAll(String yaml, String sourceName) throws PolicyException {
        List<Problem> problems = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        PolicyDocuments.Parsed d = PolicyDocuments.parse(yaml, sourceName, problems, warnings);
        checkDuplicates(d.kubeArmor(), problems);
        checkAuthorizationDuplicates(d.authorization(), problems);
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return new PolicyFiles(d.kubeArmor(), d.authorization(), warnings);
    }

    private static List<Path> yamlFiles(Path dir, List<Problem> problems) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> {
                String n = f.getFileName().toString();
                return (n.endsWith(".yaml") || n.endsWith(".yml")) && Files.isRegularFile(f);
            }).sorted().toList();
        } catch (IOException e) {
            problems.add(io(dir, "cannot list the directory: " + reason(e)));
            return List.of();
        }
    }

    private static List<KubeArmorPolicy> loadFile(Path f, List<Problem> problems) {
        String text = readText(f, problems);
        return text == null ? List.of() : PolicyParser.parse(text, f.toString(), problems);
    }

    /** The file's text, or null after reporting why it cannot be read. */
    private static String readText(Path f, List<Problem> problems) {
        try {
            if (Files.size(f) > MAX_FILE_BYTES) {
                problems.add(io(f, "the file is larger than " + (MAX_FILE_BYTES >> 20) + " MiB"));
                return null;
            }
            // Strict decoding: a policy that is not UTF-8 is reported, not silently mangled.
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(f)))
                    .toString();
        } catch (CharacterCodingException e) {
            problems.add(io(f, "the file is not UTF-8 text"));
            return null;
        } catch (IOException e) {
            problems.add(io(f, "cannot read the file: " + reason(e)));
            return null;
        }
    }

    private static void checkDuplicates(List<KubeArmorPolicy> policies, List<Problem> problems) {
        Map<String, KubeArmorPolicy> seen = new HashMap<>();
        for (KubeArmorPolicy p : policies) {
            String key = p.namespace() + "/" + p.name();
            KubeArmorPolicy first = seen.putIfAbsent(key, p);
            if (first != null) {
                var pos = p.position();
                problems.add(new Problem(pos.file(), pos.line(), pos.column(), ErrorCode.DUPLICATE_POLICY.code(),
                        "policy '" + p.name() + "' is defined twice (expected unique names; the first is at "
                                + first.position() + ")", ""));
            }
        }
    }

    private static void checkAuthorizationDuplicates(List<AuthorizationPolicy> policies, List<Problem> problems) {
        Map<String, AuthorizationPolicy> seen = new HashMap<>();
        for (AuthorizationPolicy a : policies) {
            AuthorizationPolicy first = seen.putIfAbsent(a.id(), a);
            if (first != null) {
                var pos = a.position();
                problems.add(new Problem(pos.file(), pos.line(), pos.column(), ErrorCode.DUPLICATE_POLICY.code(),
                        "AuthorizationPolicy '" + a.id() + "' is defined twice (expected unique names; the first is "
                                + "at " + first.position() + ")", ""));
            }
        }
    }

    private static Problem io(Path f, String message) {
        return new Problem(f.toString(), 0, 0, ErrorCode.IO.code(), message + " (expected a readable policy file)",
                "");
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : String.valueOf(e.getMessage());
    }
}
