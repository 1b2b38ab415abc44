package dev.ward.policy.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.ContainerIdentity;
import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.PolicySet;
import dev.ward.policy.Posture;
import dev.ward.policy.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Mutated policies and hostile YAML never crash or hang the parser: every input either loads (and then compiles)
 * or fails with positioned problems. Seeded, so a failure reproduces; the seed is in the assertion message.
 */
class ParserFuzzTest {
    private static final String[] TOKENS = {"\n", " ", "  ", "-", ":", "{", "}", "[", "]", ",", "'", "\"", "*", "?",
            "**", "/", "&a", "*a", "!!str", "!!int", "#", "|", ">", "---", "...", "~", "null", "true", "7", "11",
            "-1", "0x1f", "1e9", "path", "dir", "action", "Block", "Allow", "Audit", "fromSource", "recursive",
            "matchPaths", "matchDirectories", "matchPatterns", "selector", "\t", "\u00e9", "\u0000", "%", "@", "`"};

    @Test
    void mutatedPoliciesNeverCrashOrHang() throws Exception {
        List<String> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/policies"))) {
            for (Path f : files.sorted().toList()) {
                seeds.add(Files.readString(f));
            }
        }
        Random r = new Random(20240601);
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 4000; i++) {
                String input = mutate(seeds.get(r.nextInt(seeds.size())), r);
                check(input, "case " + i);
            }
        });
    }

    @Test
    void hostileInputs() {
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
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
        });
    }

    private static void check(String input, String label) {
        List<Problem> problems = new ArrayList<>();
        List<KubeArmorPolicy> ps;
        try {
            ps = PolicyParser.parse(input, "fuzz.yaml", problems);
        } catch (RuntimeException e) {
            throw new AssertionError(label + ": parser threw " + e + " on:\n" + input, e);
        }
        for (Problem p : problems) {
            assertThat(p.code()).as(label).matches("WP0\\d\\d");
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
