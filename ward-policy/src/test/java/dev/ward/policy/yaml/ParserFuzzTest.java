package dev.ward.policy.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.ContainerIdentity;
import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.PolicySet;
import dev.ward.policy.Posture;
import dev.ward.policy.Problem;
import dev.ward.policy.testing.Fuzz;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Mutated policies and hostile YAML never crash or hang the parser: every input either loads (and then compiles)
 * or fails with positioned problems. Seeded, so a failure reproduces; the case number is in the assertion message.
 * Each input runs within {@link Fuzz#PER_INPUT} on a thread with the launcher's 256 KiB stack.
 */
class ParserFuzzTest {
    private static final String[] TOKENS = {"\n", " ", "  ", "-", ":", "{", "}", "[", "]", ",", "'", "\"", "*", "?",
            "**", "/", "&a", "*a", "!!str", "!!int", "#", "|", ">", "---", "...", "~", "null", "true", "7", "11",
            "-1", "0x1f", "1e9", "path", "dir", "action", "Block", "Allow", "Audit", "fromSource", "recursive",
            "matchPaths", "matchDirectories", "matchPatterns", "selector", "\t", "\u00e9", "\u0000", "%", "@", "`",
            "&s\n  <<: *s\n", "<<: *a\n", "&a {b: [*a]}"};

    @Test
    void mutatedPoliciesNeverCrashOrHang() throws Exception {
        List<String> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/policies"))) {
            for (Path f : files.sorted().toList()) {
                seeds.add(Files.readString(f));
            }
        }
        Random r = new Random(20240601);
        for (int i = 0; i < 2000; i++) {
            // Half the cases mutate with policy words, half with the shared YAML/JSON breakers.
            String seed = seeds.get(r.nextInt(seeds.size()));
            String input = i % 2 == 0 ? mutate(seed, r) : Fuzz.mutate(seed, r);
            check(input, "case " + i);
        }
    }

    /** Issue 21's inputs: each refused with WP017 at the alias, within the time bound. */
    @Test
    void recursiveAliasesAreProblemsNotHangs() {
        List<Problem> merge = problems("a: &s\n  <<: *s\n");
        assertThat(merge).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("WP017");
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.column()).isEqualTo(7);
            assertThat(p.message()).startsWith("merge key <<: *s merges the node anchored &s at line 1, column 4");
            assertThat(p.sourceLine()).isEqualTo("  <<: *s");
        });
        List<Problem> alias = problems("spec: &p {selector: [*p]}\n");
        assertThat(alias).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("WP017");
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.column()).isEqualTo(22);
        });
        assertThat(problems("a:\n" + " - ".repeat(20_000) + "x")).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("nesting deeper than 100 levels"));
    }

    private static List<Problem> problems(String input) {
        return Fuzz.bounded("regression", input, Fuzz.PER_INPUT, () -> {
            List<Problem> problems = new ArrayList<>();
            PolicyParser.parse(input, "fuzz.yaml", problems);
            return problems;
        });
    }

    @Test
    void hostileInputs() {
        check("[".repeat(100_000), "deep flow nesting");
        check("a:\n" + " - ".repeat(20_000) + "x", "deep block nesting");
        // Billion laughs: aliases are capped by the YAML settings.
        StringBuilder lol = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            lol.append(c).append(": &").append(c).append(" [");
            for (int k = 0; k < 10; k++) {
                lol.append(k == 0 ? "" : ", ").append('*').append((char) (c - 1));
            }
            lol.append("]\n");
        }
        check(lol.toString(), "alias bomb");
        check("\u0000\u0001\u0002", "control characters");
        check("spec: !!binary AAAA", "binary tag");
        check("? [a, b]\n: c\n", "complex key");
        check("a: &s\n  <<: *s\n", "merge key into its own mapping");
        check("a: &a\n  b: &b\n    <<: [*a]\n", "merge key into an enclosing mapping");
        check("spec: &p {selector: [*p]}\n", "recursive alias");
    }

    private static void check(String input, String label) {
        Fuzz.bounded(label, input, Fuzz.PER_INPUT, () -> {
            checkNow(input, label);
            return null;
        });
    }

    private static void checkNow(String input, String label) {
        List<Problem> problems = new ArrayList<>();
        List<KubeArmorPolicy> ps;
        try {
            ps = PolicyParser.parse(input, "fuzz.yaml", problems);
        } catch (RuntimeException e) {
            throw new AssertionError(label + ": parser threw " + e + " on:\n" + input, e);
        }
        for (Problem p : problems) {
            assertThat(p.code()).as(label).matches("WP0\\d\\d");
            if (p.code().equals("WP001") || p.code().equals("WP017")) {
                assertThat(p.line()).as(label + ": position of " + p.format()).isPositive();
            }
            assertThat(p.format()).as(label).isNotEmpty();
        }
        if (problems.isEmpty()) {
            // Whatever loaded must compile and answer.
            PolicySet set = PolicySet.compile(ps, ContainerIdentity.named("armored-container"), Posture.defaults());
            set.file(new dev.ward.policy.FileRequest().path("/etc/passwd").source("/bin/cat"));
        }
        try {
            PolicyLoader.parse(input, "fuzz.yaml");
        } catch (PolicyException expected) {
            assertThat(expected.problems()).isNotEmpty();
        }
    }

    private static String mutate(String s, Random r) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + r.nextInt(4);
        for (int k = 0; k < edits && b.length() > 0; k++) {
            int at = r.nextInt(b.length());
            switch (r.nextInt(4)) {
                case 0 -> b.insert(at, TOKENS[r.nextInt(TOKENS.length)]);
                case 1 -> b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(8)));
                case 2 -> b.setCharAt(at, (char) (32 + r.nextInt(95)));
                default -> {
                    int from = r.nextInt(b.length());
                    int len = Math.min(b.length() - from, r.nextInt(40));
                    b.insert(at, b.substring(from, from + len));
                }
            }
        }
        return b.toString();
    }
}
