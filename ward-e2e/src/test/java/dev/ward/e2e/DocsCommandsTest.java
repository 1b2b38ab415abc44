package dev.ward.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.cli.Main;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every {@code ward} command shown in README.md, examples/README.md and docs/*.md works as written (see
 * {@link DocCommands} for what counts as a command). Each one is parsed by the CLI's own picocli model, so an
 * option or subcommand that does not exist, or a missing required argument, fails here. Each one that can run
 * on this machine without AWS, a relay or minutes of work is also run with the packaged CLI, in an empty
 * directory beside the repository's examples/, and must not end in a usage error; the commands that show a
 * result say which (a lint that passes, an example policy's alert).
 */
@Tag("container")
class DocsCommandsTest {
    /** Commands that are parsed but not run, and why. Each entry must match a documented command. */
    private static final Map<Pattern, String> NOT_RUN = new LinkedHashMap<>();

    static {
        NOT_RUN.put(Pattern.compile("^relay\\b"), "starts the relay server, which runs until stopped");
        NOT_RUN.put(Pattern.compile("^(logs|agents)\\b"), "needs a running relay");
        NOT_RUN.put(Pattern.compile("^policy (add|list|get|delete)\\b"), "needs a running relay");
        NOT_RUN.put(Pattern.compile("^policy pack apply (?!.*--dir)"), "adds the pack to a running relay");
        NOT_RUN.put(Pattern.compile("^mesh (enroll|bind|list)\\b"), "needs a running relay");
        NOT_RUN.put(Pattern.compile("^run .* -- nginx\\b"), "starts a web server, which runs until stopped");
        NOT_RUN.put(Pattern.compile("^local stop\\b"), "would stop a running local task that matches, another test's too");
        NOT_RUN.put(Pattern.compile("^image build-agent\\b"), "pushes an image to a registry (network, credentials)");
        NOT_RUN.put(Pattern.compile("^image bundle\\b"), "builds the 76 MB bundle and trains its cache in podman (minutes)");
    }

    /** What picocli and Ward's commands print for a command line they cannot take. */
    private static final Pattern USAGE_ERROR = Pattern.compile("Usage: ward|Unknown option|Unmatched argument|"
            + "Missing required|Invalid value for|Expected parameter|Missing subcommand");
    private static final Pattern EXAMPLE_POLICY = Pattern.compile("(?:-p|--policy) examples/([\\w-]+)\\.yaml");

    private static List<DocCommands.Command> commands;

    @BeforeAll
    static void readDocs() throws IOException {
        Path root = WardCli.root();
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("examples/README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        commands = new ArrayList<>();
        for (Path f : files) {
            commands.addAll(DocCommands.read(root, f));
        }
    }

    @Test
    void everyDocumentedCommandParses() {
        assertThat(commands).as("commands found in the docs").hasSizeGreaterThan(25);
        List<String> failures = new ArrayList<>();
        CommandLine ward = Main.commandLine(); // picocli resets every option before each parse
        for (DocCommands.Command c : commands) {
            try {
                ward.parseArgs(c.args().toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                failures.add(c + "\n    " + e.getMessage());
            }
        }
        assertThat(failures).as("documented commands the CLI does not accept").isEmpty();
    }

    @Test
    void everyOfflineCommandRunsWithoutAUsageError(@TempDir Path dir) throws Exception {
        Path work = Files.createDirectory(dir.resolve("work")); // the commands' working directory, empty but for:
        Path examples = Files.createSymbolicLink(work.resolve("examples"), WardCli.root().resolve("examples"));
        List<String> failures = new ArrayList<>();
        int ran = 0;
        try {
            ran = runAll(dir, work, failures);
        } finally {
            Files.delete(examples); // the link, not the repository's files
        }
        assertThat(ran).as("commands run").isGreaterThan(10);
        assertThat(failures).as("documented commands that fail when run").isEmpty();
    }

    /** Runs the commands three at a time (most of a run is the JVM starting); adds failures in document order. */
    private static int runAll(Path dir, Path work, List<String> failures) throws Exception {
        List<DocCommands.Command> toRun = commands.stream().filter(c -> reasonNotRun(c) == null).toList();
        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            for (int i = 0; i < toRun.size(); i++) {
                DocCommands.Command c = toRun.get(i);
                Path out = dir.resolve("out-" + i);
                results.add(pool.submit(() -> {
                    WardCli.Result r = run(out, work, c.args());
                    String problem = problem(c, r);
                    return problem == null ? null : c + "\n    " + problem + " (exit " + r.exitCode() + ")\n    stdout: "
                            + tail(r.stdout()) + "\n    stderr: " + tail(r.stderr());
                }));
            }
            for (Future<String> f : results) {
                if (f.get() != null) {
                    failures.add(f.get());
                }
            }
        }
        return toRun.size();
    }

    @Test
    void everyNotRunEntryStillMatchesADocumentedCommand() {
        for (Map.Entry<Pattern, String> e : NOT_RUN.entrySet()) {
            assertThat(commands).as("a documented command matching " + e.getKey() + " (" + e.getValue() + ")")
                    .anyMatch(c -> e.getKey().matcher(String.join(" ", c.args())).find());
        }
    }

    @Test
    void commandLinesSplitAsTheShellSplitsThem() {
        assertThat(DocCommands.words("ward run -p x.yaml -- sh -c ': >> /etc/hostname'   # comment"))
                .containsExactly("ward", "run", "-p", "x.yaml", "--", "sh", "-c", ": >> /etc/hostname");
        assertThat(DocCommands.words("ward check -o sarif . > ward.sarif"))
                .containsExactly("ward", "check", "-o", "sarif", ".");
        assertThat(DocCommands.words("ward x \"a \\\"b\\\"\" c\\ d 2>/dev/null | head"))
                .containsExactly("ward", "x", "a \"b\"", "c d");
    }

    /** Why the command is not run, or null. */
    private static String reasonNotRun(DocCommands.Command c) {
        String line = String.join(" ", c.args());
        return NOT_RUN.entrySet().stream().filter(e -> e.getKey().matcher(line).find()).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /** What is wrong with the command's result, or null. */
    private static String problem(DocCommands.Command c, WardCli.Result r) {
        if (r.exitCode() < 0) {
            return "did not finish";
        }
        Matcher usage = USAGE_ERROR.matcher(r.stderr());
        if (usage.find()) {
            return "usage error: " + usage.group();
        }
        String line = String.join(" ", c.args());
        boolean mustSucceed = line.equals("demo") || line.equals("version") || line.startsWith("policy lint ");
        if (mustSucceed && r.exitCode() != 0) {
            return "expected exit 0";
        }
        Matcher example = EXAMPLE_POLICY.matcher(line);
        if (example.find() && !r.stdout().contains("\"PolicyName\":\"" + example.group(1) + "\"")) {
            return "no alert of policy " + example.group(1);
        }
        return null;
    }

    /** Runs the packaged CLI in {@code work}, stdin empty, output in the new directory {@code dir}, at most 60 s. */
    private static WardCli.Result run(Path dir, Path work, List<String> args) throws IOException, InterruptedException {
        Files.createDirectory(dir);
        File out = dir.resolve("stdout").toFile();
        File err = dir.resolve("stderr").toFile();
        Process p = new ProcessBuilder(WardCli.command(args.toArray(String[]::new))).directory(work.toFile())
                .redirectOutput(out).redirectError(err).redirectInput(new File("/dev/null")).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return new WardCli.Result(-1, "", "did not finish in 60 s");
        }
        return new WardCli.Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }

    private static String tail(String s) {
        return s.length() <= 600 ? s.strip() : "..." + s.substring(s.length() - 600).strip();
    }
}
