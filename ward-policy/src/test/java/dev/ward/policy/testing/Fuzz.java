package dev.ward.policy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Seeded mutation of real inputs, and a runner that bounds each input in time and in stack, shared by the fuzz
 * tests of every reader (policies, ward check, ward inject, the relay).
 *
 * <p>Each input runs on its own thread with a 256 KiB stack, the {@code -Xss256k} the {@code ward} launcher and the
 * agent bundle give every thread: a reader that fits here fits in production. An input that does not finish
 * within its time fails the test with the input; its thread is left behind as a daemon (a thread cannot be
 * stopped), which is fine for a failing run.
 *
 * <pre>{@code
 * Random r = new Random(SEED);
 * String input = Fuzz.mutate(seed, r);
 * Fuzz.bounded("case 7", input, Fuzz.PER_INPUT, () -> Reader.parse(input));
 * }</pre>
 */
public final class Fuzz {
    /** The launcher's thread stack size. */
    public static final long STACK_BYTES = 256 << 10;
    /** Time for one input: generous for a loaded CI machine, far below a hang. */
    public static final Duration PER_INPUT = Duration.ofSeconds(5);

    /**
     * Pieces that break YAML and JSON in the ways the readers must survive: structure, anchors and aliases, merge
     * keys, tags, deep nesting, numbers beyond every type, control characters.
     */
    private static final String[] TOKENS = {"\n", " ", "  ", "-", "- ", ":", ": ", "{", "}", "[", "]", ",", "'",
            "\"", "*", "?", "&a ", "*a", "&s\n  <<: *s\n", "<<: *a\n", "<<: [*a, *s]", "&p {x: [*p]}", "!!str ",
            "!!int ", "!!merge ", "!Ref ", "!Sub ", "!GetAtt ", "#", "|", ">", "---\n", "...", "~", "null", "true",
            "7", "-1", "0x1f", "0o17", "1e9", "1e99999999999", "-1e-99999999999", "9".repeat(400), ".inf", ".nan",
            "[[[[[[[[[[[[[[[[", "{\"a\":{\"a\":{\"a\":", "\t", "\u00e9", "\u0000", "\u0085", "\uFEFF", "\\u0000",
            "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "@", "`"};

    private Fuzz() {
    }

    /** The text of every file under {@code dir} (recursively) whose name ends with one of {@code extensions}. */
    public static List<String> seeds(Path dir, String... extensions) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<String> out = new ArrayList<>();
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                for (String e : extensions) {
                    if (f.getFileName().toString().endsWith(e)) {
                        out.add(Files.readString(f));
                        break;
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The KubeArmorPolicy files of ward-policy's tests, as class path resources of this test-jar. */
    public static List<String> policySeeds() {
        List<String> out = new ArrayList<>();
        for (String name : List.of("ecs-block-cert-modification", "ecs-block-package-management",
                "sa-token-lenient-allow", "template-audit-mysql-config", "template-block-malware-dropper",
                "template-network-curl-only")) {
            try (var in = Fuzz.class.getResourceAsStream("/policies/" + name + ".yaml")) {
                if (in == null) {
                    throw new IllegalStateException("no test resource policies/" + name + ".yaml");
                }
                out.add(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** One to four edits of {@code s}: insert a token, delete a run, replace a character, duplicate a slice. */
    public static String mutate(String s, Random r) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + r.nextInt(4);
        for (int k = 0; k < edits && b.length() > 0; k++) {
            int at = r.nextInt(b.length());
            switch (r.nextInt(5)) {
                case 0, 1 -> b.insert(at, TOKENS[r.nextInt(TOKENS.length)]);
                case 2 -> b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(8)));
                case 3 -> b.setCharAt(at, (char) (32 + r.nextInt(95)));
                default -> {
                    int from = r.nextInt(b.length());
                    int len = Math.min(b.length() - from, r.nextInt(40));
                    b.insert(at, b.substring(from, from + len));
                }
            }
        }
        return b.toString();
    }

    /**
     * Runs {@code body} on a thread with the launcher's stack and returns its result. Fails with {@code label} and
     * the input when it takes longer than {@code limit} or throws anything: the body decides which outcomes are
     * clean (returning them) and lets anything else escape.
     */
    public static <T> T bounded(String label, String input, Duration limit, Callable<T> body) {
        FutureTask<T> task = new FutureTask<>(body);
        Thread t = new Thread(null, task, "fuzz " + label, STACK_BYTES);
        t.setDaemon(true);
        t.start();
        try {
            return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            t.interrupt();
            throw new AssertionError(label + ": no answer within " + limit + " on input:\n" + shown(input));
        } catch (ExecutionException e) {
            throw new AssertionError(label + ": " + e.getCause() + " on input:\n" + shown(input), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(label + ": interrupted", e);
        }
    }

    private static String shown(String input) {
        return input.length() <= 2000 ? input : input.substring(0, 2000) + "... (" + input.length() + " chars)";
    }
}
