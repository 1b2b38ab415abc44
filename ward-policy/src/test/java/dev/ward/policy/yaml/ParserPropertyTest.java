package dev.ward.policy.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyLoader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based fuzzing (jqwik) of the policy parser: whatever the input, parsing ends within a bound
 * and either yields policies or a PolicyException with positions; nothing else escapes.
 */
class ParserPropertyTest {
    private static final List<String> TOKENS = List.of("apiVersion: security.kubearmor.com/v1\n",
            "kind: KubeArmorPolicy\n", "metadata:\n", "  name: p\n", "spec:\n", "  selector:\n",
            "    matchLabels:\n", "      kubearmor.io/container.name: x\n", "  file:\n", "  process:\n",
            "  network:\n", "    matchPaths:\n", "    - path: /etc/shadow\n", "    matchDirectories:\n",
            "    - dir: /tmp/\n", "      recursive: true\n", "    matchPatterns:\n", "    - pattern: /**/x?\n",
            "    fromSource:\n", "    - path: /bin/cat\n", "  action: Block\n", "  severity: 11\n", "---\n",
            "&a [*a, *a]\n", "!!binary x\n", "{", "}", "[", "]", ": ", "- ", "\t", "'", "\"", "#", "\u00e9", "\n",
            "    readOnly: maybe\n", "    matchProtocols:\n    - protocol: tcp\n", "  tags: [a, b]\n");

    @Provide
    Arbitrary<String> policyish() {
        return Arbitraries.of(TOKENS).list().ofMaxSize(60).map(l -> String.join("", l));
    }

    @Property(tries = 400)
    void tokenSoupParsesOrFailsWithPositions(@ForAll("policyish") String yaml) throws Exception {
        assertParsesOrReports(yaml);
    }

    @Property(tries = 300)
    void arbitraryTextParsesOrFailsWithPositions(@ForAll String text) throws Exception {
        assertParsesOrReports(text);
    }

    private static void assertParsesOrReports(String yaml) throws Exception {
        CompletableFuture<Object> result = CompletableFuture.supplyAsync(() -> {
            try {
                return PolicyLoader.parse(yaml, "fuzz.yaml");
            } catch (PolicyException e) {
                return e;
            }
        });
        Object outcome = result.get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
        if (outcome instanceof PolicyException e) {
            assertThat(e.problems()).isNotEmpty();
            assertThat(e.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo("fuzz.yaml"));
        }
    }
}
