package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.api.LogFilter;
import dev.ward.api.telemetry.TelemetryFormat;
import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicyException;
import dev.ward.policy.testing.PolicyYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What ward run starts with: the files, WARD_POLICY and the packs, and a pack policy given twice refused. */
class StartPoliciesTest {
    @TempDir
    Path dir;

    private static AgentOptions options(List<Path> files, String inline, List<String> packs) {
        return new AgentOptions(List.of("true"), files, inline, "web", Map.of(), LogFilter.POLICY, OperationSet.ALL,
                null, null, false, 16, Path.of("/"), Map.of(), 15, packs, TelemetryFormat.KUBEARMOR);
    }

    private static String policy(String name) {
        return PolicyYaml.named(name).container("web").spec("file:\n  matchPaths:\n  - path: /srv/secret\n");
    }

    @Test
    void filesComeFirstThenWardPolicyAndThePacksWhichAReloadKeeps() throws Exception {
        Path file = Files.writeString(dir.resolve("mine.yaml"), policy("mine"));
        StartPolicies start = StartPolicies.load(options(List.of(file), policy("inline"), List.of("default")));
        assertThat(start.files().kubeArmor()).extracting(KubeArmorPolicy::name).containsExactly("mine");
        assertThat(start.fixed()).extracting(KubeArmorPolicy::name).startsWith("inline", "ward-shell-from-runtime")
                .contains("ward-raw-sockets");
        assertThat(start.all().kubeArmor()).hasSize(1 + start.fixed().size());
    }

    @Test
    void aFileRepeatingAPackPolicysNameIsRefusedAtItsPosition() throws Exception {
        Path copy = Files.writeString(dir.resolve("copy.yaml"), policy("ward-etc-writes"));
        assertThatThrownBy(() -> StartPolicies.load(options(List.of(copy), null, List.of("default"))))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("pack:default/etc-writes.yaml")
                .hasMessageContaining("policy 'ward-etc-writes' is defined twice")
                .hasMessageContaining("the other is at " + copy)
                .hasMessageContaining("drop --pack or rename the copy");
        assertThat(StartPolicies.load(options(List.of(copy), null, List.of())).fixed()).isEmpty();
    }
}
