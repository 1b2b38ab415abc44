package dev.ward.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The policies shipped in the repository's {@code examples/} directory stay valid: each file loads with the
 * parser the agent and {@code ward policy lint} use, selects a container whatever its name (so {@code ward run -p
 * examples/X.yaml} applies it with the default container name, the hostname), and is described in
 * {@code examples/README.md}.
 */
class ExamplesTest {
    /** Surefire runs in the module's directory; the examples are beside it. */
    private static final Path EXAMPLES = Path.of("").toAbsolutePath().resolveSibling("examples");

    @Test
    void everyExampleLoadsAppliesToAnyContainerAndIsDocumented() throws IOException, PolicyException {
        List<Path> files = yamlFiles();
        assertThat(files).as("policies in " + EXAMPLES).hasSizeGreaterThanOrEqualTo(5);
        String readme = Files.readString(EXAMPLES.resolve("README.md"));
        for (Path file : files) {
            List<KubeArmorPolicy> policies = PolicyLoader.load(List.of(file));
            assertThat(policies).as(file.toString()).isNotEmpty();
            for (String container : List.of("web", "ip-10-0-1-23.ec2.internal", "armored-container")) {
                PolicySet set = PolicySet.compile(policies, ContainerIdentity.named(container), Posture.defaults());
                assertThat(set.policyNames()).as(file + " for container " + container)
                        .containsExactlyInAnyOrderElementsOf(policies.stream().map(KubeArmorPolicy::name).toList());
            }
            assertThat(readme).as("examples/README.md mentions " + file.getFileName())
                    .contains("examples/" + file.getFileName());
        }
    }

    @Test
    void theWholeDirectoryLoadsAsOneSet() throws PolicyException {
        // ward run -p examples/ loads them together: names must not collide.
        assertThat(PolicyLoader.load(List.of(EXAMPLES))).hasSize(yamlFiles().size());
    }

    private static List<Path> yamlFiles() {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + EXAMPLES, e);
        }
    }
}
