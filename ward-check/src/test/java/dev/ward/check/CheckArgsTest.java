package dev.ward.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The start-up shortcut and picocli must read {@code ward check} the same way, or the shortcut declines. */
class CheckArgsTest {
    private static final Path CWD = Path.of("/nonexistent/cwd");

    @Test
    void knowsEveryOptionPicocliDefines() {
        Set<String> picocli = new TreeSet<>();
        new CommandLine(new CheckCommand()).getCommandSpec().options()
                .forEach(o -> picocli.addAll(Arrays.asList(o.names())));
        picocli.removeAll(Set.of("-h", "--help", "-V", "--version"));
        assertThat(new TreeSet<>(CheckArgs.names())).isEqualTo(picocli);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "deploy/",
        "task.json service.json deploy",
        "-",
        "-o sarif .",
        "--output=json --fail-on medium task.json",
        "task.json -v --fail-on=LOW",
        "--verbose --config ci/.ward-check.yaml --trusted-registry ghcr.io/acme --trusted-registry=quay.io/* .",
        "--config=c.yaml -o Text a.json b.yaml",
        "--output sarif --fail-on info",
        "--trusted-registry a=b x.json"})
    void agreesWithPicocli(String line) {
        List<String> args = line.isEmpty() ? List.of() : List.of(line.split(" "));
        CheckCommand fast = new CheckCommand(Map.of(), false, CWD);
        CheckCommand slow = new CheckCommand(Map.of(), false, CWD);
        new CommandLine(slow).parseArgs(args.toArray(String[]::new));
        assertThat(CheckArgs.parse(args, fast)).as("the shortcut should accept: " + line).isTrue();
        assertThat(fast.paths).isEqualTo(slow.paths);
        assertThat(fast.output).isEqualTo(slow.output);
        assertThat(fast.failOn).isEqualTo(slow.failOn);
        assertThat(fast.config).isEqualTo(slow.config);
        assertThat(fast.trustedRegistries).isEqualTo(slow.trustedRegistries);
        assertThat(fast.verbose).isEqualTo(slow.verbose);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "-V", "--version", "--bogus .", "-x", "-vo sarif .", "-osarif .",
        "-o=sarif .", "-o", "--fail-on", "-o xml .", "--fail-on severe .", "--output=", "--config= .",
        "-o sarif --output json .", "--fail-on high --fail-on=low .", "-v --verbose .", "--verbose=true .",
        "--config a --config b .", "-- -weird-file.json", "@args.txt", "--config @c.yaml .", "--config -v .",
        "-o -", "--trusted-registry -x ."})
    void declinesWhatOnlyPicocliShouldAnswer(String line) {
        assertThat(CheckArgs.parse(List.of(line.split(" ")), new CheckCommand(Map.of(), false, CWD))).isFalse();
    }

    @Test
    void aCommandLineTheShortcutTakesGivesPicocliSOutput(@TempDir Path dir) throws Exception {
        CliRun.copy(dir, "seeds/001-backend-flask-task-definition.json");
        CliRun.copy(dir, "seeds/002-bluelock-deployment.yaml");
        for (String[] args : new String[][] {{"seeds"}, {"-o", "sarif", "seeds"}, {"--output=json", "-v", "seeds"},
            {"--fail-on", "critical", "seeds/002-bluelock-deployment.yaml"}, {"missing.json"}}) {
            CliRun slow = CliRun.run(dir, args);
            CheckCommand c = new CheckCommand(Map.of(), false, dir);
            assertThat(CheckArgs.parse(List.of(args), c)).isTrue();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = c.call(new PrintWriter(out), new PrintWriter(err));
            assertThat(new CliRun(code, out.toString(), err.toString())).as(String.join(" ", args)).isEqualTo(slow);
        }
    }
}
