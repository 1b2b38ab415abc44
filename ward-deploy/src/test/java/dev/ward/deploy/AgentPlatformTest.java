package dev.ward.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.deploy.InjectCommandTest.Run;
import dev.ward.registry.testing.LocalRegistry;
import dev.ward.registry.testing.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ward inject and the agent image's platforms, against a real registry: a task on ARM64 (runtimePlatform.cpuArchitecture)
 * gets the arm64 image of a multi-platform agent image, pinned to that image's digest; a single-platform agent image of
 * the other architecture is refused, by tag or by digest, for ECS and Kubernetes alike, saying how to make one for both.
 */
@Tag("process")
class AgentPlatformTest {
    static final TestImage AGENT_AMD64 = TestImage.linux("amd64").withEntrypoint("/ward/bin/java", "@/ward/ward.args", "version");
    static final TestImage AGENT_ARM64 = TestImage.linux("arm64").withVariant("v8")
            .withEntrypoint("/ward/bin/java", "@/ward/ward.args", "version");

    @TempDir
    Path dir;

    @Test
    void anArm64TaskGetsTheArm64ImageOfAMultiPlatformAgentImage() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            LocalRegistry.Pushed index = registry.pushIndex("ward-agent", "multi", LocalRegistry.Format.DOCKER,
                    List.of(AGENT_AMD64, AGENT_ARM64));
            String arm64 = registry.host() + "/ward-agent@" + index.children().get(1).digest();
            String amd64 = registry.host() + "/ward-agent@" + index.children().get(0).digest();
            Run arm = InjectCommandTest.inject(task("ARM64"), "--agent-image", registry.host() + "/ward-agent:multi");
            assertThat(arm.code()).as(arm.err()).isZero();
            assertThat(agentOf(arm)).isEqualTo(arm64);
            Run x86 = InjectCommandTest.inject(task("X86_64"), "--agent-image", registry.host() + "/ward-agent:multi");
            assertThat(x86.code()).as(x86.err()).isZero();
            assertThat(agentOf(x86)).isEqualTo(amd64);
            // the index pinned by its digest serves both, as given
            String pinnedIndex = registry.host() + "/ward-agent@" + index.digest();
            Run byDigest = InjectCommandTest.inject(task("ARM64"), "--agent-image", pinnedIndex);
            assertThat(byDigest.code()).as(byDigest.err()).isZero();
            assertThat(agentOf(byDigest)).isEqualTo(pinnedIndex);
        }
    }

    @Test
    void aSinglePlatformAgentImageOfTheOtherArchitectureIsRefused() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            LocalRegistry.Pushed amd64 = registry.push("ward-agent", "amd64", LocalRegistry.Format.OCI, AGENT_AMD64);
            registry.push("ward-agent", "arm64", LocalRegistry.Format.OCI, AGENT_ARM64);
            for (String image : List.of(registry.host() + "/ward-agent:amd64", registry.host() + "/ward-agent@" + amd64.digest())) {
                Path out = dir.resolve("out.json");
                Run r = InjectCommandTest.inject(task("ARM64"), "--agent-image", image, "-o", out.toString());
                assertThat(r.code()).as(r.err()).isEqualTo(2);
                assertThat(r.err()).contains("--agent-image " + image + ": the task runs on linux/arm64 but ")
                        .contains("no manifest for platform linux/arm64; the image has only linux/amd64")
                        .contains("ward image build-agent --platform linux/amd64,linux/arm64");
                assertThat(out).doesNotExist();
            }
            Run x86 = InjectCommandTest.inject(task("X86_64"), "--agent-image", registry.host() + "/ward-agent:arm64");
            assertThat(x86.code()).isEqualTo(2);
            assertThat(x86.err()).contains("the task runs on linux/amd64 but ").contains("the image has only linux/arm64/v8");
            // Kubernetes: the pod's kubernetes.io/arch node selector
            Path pod = Files.writeString(dir.resolve("pod.yaml"), """
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: web}
                    spec:
                      nodeSelector: {kubernetes.io/arch: arm64}
                      containers:
                        - {name: web, image: example/web:1, command: [/bin/web]}
                    """);
            Run k8s = InjectCommandTest.inject(pod.toString(), "--agent-image", registry.host() + "/ward-agent:amd64");
            assertThat(k8s.code()).as(k8s.out()).isEqualTo(2);
            assertThat(k8s.err()).contains("the task runs on linux/arm64 but ");
            Run k8sArm = InjectCommandTest.inject(pod.toString(), "--agent-image", registry.host() + "/ward-agent:arm64");
            assertThat(k8sArm.code()).as(k8sArm.err()).isZero();
        }
    }

    private String task(String arch) throws Exception {
        return Files.writeString(dir.resolve("task-" + arch + ".json"), """
                {"family": "web", "runtimePlatform": {"cpuArchitecture": "%s"},
                 "containerDefinitions": [{"name": "web", "image": "example/web:1", "entryPoint": ["/bin/web"]}]}
                """.formatted(arch)).toString();
    }

    private static String agentOf(Run r) throws Exception {
        return InjectGoldenTest.JSON.readTree(r.out()).at("/containerDefinitions/1/image").asText();
    }
}
