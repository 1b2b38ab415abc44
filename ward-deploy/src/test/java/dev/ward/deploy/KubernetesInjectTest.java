package dev.ward.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ward inject on Kubernetes manifests (the EKS Fargate seed's armored application, a Service that must pass
 * through, a CronJob running as uid 1000 whose argv comes from the image's ENTRYPOINT plus its args).
 */
class KubernetesInjectTest {
    static final Path INPUT = Path.of("src/test/resources/inputs/eks-armored-application.yaml");
    static final Path GOLDEN = Path.of("src/test/resources/golden/eks-armored-application.yaml");

    static InjectOptions options() {
        return new InjectOptions(InjectOptions.Mode.SIDECAR, InjectCommandTest.AGENT, List.of(), Map.of(),
                "ward-relay.ward.svc:32767", null, "ward-relay/agent-token", Map.of());
    }

    @Test
    void podTemplatesGetTheInitContainerTheVolumeAndTheAgentAsCommand() throws Exception {
        String text = Files.readString(INPUT, StandardCharsets.UTF_8);
        KubernetesInjector k = new KubernetesInjector(options(), (image, p) -> InjectGoldenTest.imageConfig(
                List.of("/bin/bash"), List.of("-l"), null));
        String out = k.inject(INPUT.toString(), text);
        if (Boolean.getBoolean("ward.golden.update")) {
            Files.writeString(GOLDEN, out);
        }
        assertThat(out).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
        assertThat(out).contains("- name: ward-install").contains("- /ward-volume").contains("emptyDir: {}")
                .contains("secretKeyRef:").doesNotContain("args:");
        // comments, flow lists and quoting stay as written
        assertThat(out).startsWith("# The EKS Fargate seed's armored application (KubeArmor demo).\napiVersion: apps/v1\n")
                .contains("imagePullPolicy: Always # always the latest demo\n").contains("schedule: \"0 3 * * *\"\n")
                .contains("command: [" + String.join(", ", java.util.Arrays.stream(InjectGoldenTest.agentArgv("socat"))
                        .map(a -> "\"" + a + "\"").toList()));
        // the CronJob: image ENTRYPOINT + the manifest's args; uid 1000 so no capability
        assertThat(out).contains("                - /bin/bash\n                - -c\n                - date\n");
        assertThat(k.notes()).anyMatch(n -> n.contains("CronJob/nightly-report container report") && n.contains("uid 1000"));
        // running it again changes nothing
        KubernetesInjector again = new KubernetesInjector(options(), (image, p) -> {
            throw new AssertionError("no registry read on a second pass");
        });
        assertThat(again.inject("out", out)).isEqualTo(out);
    }

    @Test
    void errorsNameTheWorkloadAndContainer() {
        var bad = new InjectOptions(InjectOptions.Mode.SIDECAR, "a", List.of(), Map.of(), null, null,
                "arn:aws:ssm:us-east-1:1:parameter/x", Map.of());
        assertThatThrownBy(() -> new KubernetesInjector(bad, (i, p) -> null).inject("x", Files.readString(INPUT)))
                .hasMessageContaining("SECRET/KEY");
        assertThatThrownBy(() -> new KubernetesInjector(options(), (i, p) -> null).inject("x", "apiVersion: v1\nkind: Pod\nspec: [\n"))
                .hasMessage("x:4:1: invalid YAML: expected the node content, but found '<stream end>'");
    }
}
