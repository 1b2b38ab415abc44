package dev.ward.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoaderTest {
    private static final String A = Policies.policy("a", "file: {matchPaths: [{path: /a}]}");
    private static final String B = Policies.policy("b", "file: {matchPaths: [{path: /b}]}");

    @Test
    void directoriesContributeTheirYamlFilesSortedAndMultiDocument(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("2.yml"), A);
        Files.writeString(dir.resolve("1.yaml"), "---\n" + B + "---\n");
        Files.writeString(dir.resolve("notes.txt"), "not yaml: [");
        Files.createDirectory(dir.resolve("sub.yaml"));
        List<KubeArmorPolicy> ps = PolicyLoader.load(List.of(dir));
        assertThat(ps).extracting(KubeArmorPolicy::name).containsExactly("b", "a");
        assertThat(ps.get(1).position().file()).endsWith("2.yml");
    }

    @Test
    void problemsOfAllFilesAreCollected(@TempDir Path dir) throws Exception {
        Path bad1 = Files.writeString(dir.resolve("bad1.yaml"), A.replace("path: /a", "path: a"));
        Path bad2 = Files.writeString(dir.resolve("bad2.yaml"), B.replace("KubeArmorPolicy", "Policy"));
        Path missing = dir.resolve("missing.yaml");
        var e = org.junit.jupiter.api.Assertions.assertThrows(PolicyException.class,
                () -> PolicyLoader.load(List.of(bad1, bad2, missing)));
        assertThat(e.problems()).extracting(Problem::file, Problem::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple(bad1.toString(), "WP007"),
                org.assertj.core.groups.Tuple.tuple(bad2.toString(), "WP015"),
                org.assertj.core.groups.Tuple.tuple(missing.toString(), "WP010"));
        assertThat(e.problems().get(2).message())
                .isEqualTo("cannot read the file: no such file or directory (expected a readable policy file)");
        assertThat(e.format()).endsWith("3 errors");
        assertThat(e.getMessage()).contains("bad1.yaml:9:30:").contains("(and 2 more)");
    }

    @Test
    void duplicateNamesAreAnError() {
        assertThatThrownBy(() -> PolicyLoader.parse(A + "---\n" + A, "dup.yaml"))
                .isInstanceOfSatisfying(PolicyException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    Problem p = e.problems().getFirst();
                    assertThat(p.code()).isEqualTo("WP014");
                    assertThat(p.line()).isEqualTo(11);
                    assertThat(p.message()).isEqualTo("policy 'a' is defined twice (expected unique names; the "
                            + "first is at dup.yaml:1:1)");
                });
    }

    @Test
    void nonUtf8FilesAreReported(@TempDir Path dir) throws Exception {
        Path f = Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xe9, '\n'});
        assertThatThrownBy(() -> PolicyLoader.load(List.of(f))).isInstanceOfSatisfying(PolicyException.class,
                e -> assertThat(e.problems().getFirst().message()).startsWith("the file is not UTF-8 text"));
    }

    @Test
    void emptyInputLoadsNothing() throws Exception {
        assertThat(PolicyLoader.parse("", "empty")).isEmpty();
        assertThat(PolicyLoader.parse("# only a comment\n---\n", "empty")).isEmpty();
    }

    @Test
    void problemFormatting() {
        Problem p = new Problem("f.yaml", 3, 5, "WP005", "bad (expected good)", "  x: bad");
        assertThat(p.format()).isEqualTo("f.yaml:3:5: error[WP005]: bad (expected good)\n  x: bad\n    ^");
        Problem tab = new Problem("f.yaml", 1, 3, "WP005", "m", "\tx: y");
        assertThat(tab.format()).endsWith("\tx: y\n\t ^");
        Problem whole = new Problem("f.yaml", 0, 0, "WP010", "cannot read", "");
        assertThat(whole.format()).isEqualTo("f.yaml: error[WP010]: cannot read");
    }

    @Test
    void parseAllReadsBothKindsFromTextAndReportsNamesUsedTwiceWithTheirPlaces() throws Exception {
        String deny = """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: deny-all
                  namespace: demo
                spec: {}
                """;
        PolicyFiles both = PolicyLoader.parseAll(A + "---\n" + deny, "request");
        assertThat(both.kubeArmor()).extracting(KubeArmorPolicy::name).containsExactly("a");
        assertThat(both.authorization()).extracting(a -> a.id()).containsExactly("demo/deny-all");

        int second = (A + "---\n" + deny + "---\n").split("\n", -1).length;
        assertThatThrownBy(() -> PolicyLoader.parseAll(A + "---\n" + deny + "---\n" + deny, "request"))
                .isInstanceOf(PolicyException.class)
                .satisfies(e -> assertThat(((PolicyException) e).problems()).singleElement().satisfies(p -> {
                    assertThat(p.code()).isEqualTo("WP014");
                    assertThat(p.line()).isEqualTo(second);
                    assertThat(p.message()).contains("AuthorizationPolicy 'demo/deny-all' is defined twice");
                }));
    }
}
