package dev.ward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.testing.PolicyYaml;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PolicyCommandTest {
    static final String GOOD = PolicyYaml.blockFile("block-shadow", "web", "/etc/shadow");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new PolicyCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void cleanFilesExitZero(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("good.yaml"), GOOD);
        assertThat(run("lint", f.toString())).isZero();
        assertThat(out.toString()).isEqualTo("ok: 1 policy, 1 rule" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void everyProblemOfEveryFileIsPrintedAndTheExitCodeIsOne(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.yaml"), GOOD.replace("action: Block", "action: block"));
        Path b = Files.writeString(dir.resolve("b.yaml"), GOOD.replace("path: /etc/shadow", "path: etc/shadow")
                .replace("name: block-shadow", "name: other"));
        assertThat(run("lint", a.toString(), b.toString())).isEqualTo(1);
        String text = err.toString();
        assertThat(text).contains(a + ":12:11: error[WP005]: spec.action \"block\" is not an action (expected "
                + "Allow, Audit or Block; did you mean Block?)\n  action: block\n          ^");
        assertThat(text).contains(b + ":11:13: error[WP007]: file.matchPaths[0].path \"etc/shadow\" is not an "
                + "absolute file path");
        assertThat(text).endsWith("2 errors; no policy was applied" + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void directoriesAndQuietMode(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("one.yaml"), GOOD);
        Files.writeString(dir.resolve("two.yml"), GOOD.replace("block-shadow", "second"));
        assertThat(run("lint", "--quiet", dir.toString())).isZero();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void usageErrors() {
        assertThat(run("lint")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'FILE'");
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing subcommand (expected: lint, add, list, get, delete or pack)");
    }

    @Test
    void problemsArePrintedInReadingOrder(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("p.yaml"), GOOD.replace("path: /etc/shadow", "path: relative")
                .replace("action: Block", "process:\n    matchPaths:\n    - path: also-relative\n  action: block"));
        assertThat(run("lint", f.toString())).isEqualTo(1);
        List<String> positions = err.toString().lines().filter(l -> l.startsWith(f.toString()))
                .map(l -> l.substring(f.toString().length() + 1, l.indexOf(": error"))).toList();
        assertThat(positions).containsExactly("11:13", "14:13", "15:11");
    }

    @Test
    void authorizationPoliciesMixWithKubeArmorAndWarningsDoNotFail(@TempDir Path dir) throws Exception {
        String authz = """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: open, namespace: ecs}
                spec:
                  rules:
                  - from:
                    - source: {principals: ["*"]}
                """;
        Path f = Files.writeString(dir.resolve("mixed.yaml"), GOOD + "---\n" + authz);
        assertThat(run("lint", f.toString())).isZero();
        assertThat(out.toString()).isEqualTo("ok: 1 policy, 1 rule, 1 AuthorizationPolicy, 1 warning"
                + System.lineSeparator());
        assertThat(err.toString()).startsWith(f + ":20:28: warning[WP020]: spec.rules[0].from[0].source.principals");

        Path seed = Path.of("").toAbsolutePath().resolveSibling("examples/istio/seed-003.yaml");
        out.getBuffer().setLength(0);
        assertThat(run("lint", seed.toString())).isZero();
        assertThat(out.toString()).isEqualTo("ok: 4 AuthorizationPolicies" + System.lineSeparator());

        Path bad = Files.writeString(dir.resolve("bad.yaml"), authz.replace("principals: [\"*\"]",
                "ipBlocks: [10.0.0.300]"));
        assertThat(run("lint", bad.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(bad + ":7:27: error[WP018]: spec.rules[0].from[0].source.ipBlocks[0] "
                + "\"10.0.0.300\" is not an IP address or CIDR");
    }
}
