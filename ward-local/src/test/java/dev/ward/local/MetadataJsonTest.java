package dev.ward.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The v4 documents {@code ward local run} serves give the agent what ECS gives it: ImageID with its algorithm, so
 * that alerts carry {@code Image@sha256:...} as on ECS (dev.ward.api.EcsTask reads these fields).
 */
class MetadataJsonTest {
    @Test
    void theImageIdHasItsAlgorithmAsOnEcs() {
        PodmanPlan plan = new PodmanPlan(TaskDefinitionReader.parse(null, """
                {"family": "shop", "containerDefinitions": [{"name": "web", "image": "nginx:1.27"}]}"""),
                "0123456789abcdef0123456789abcdef", LocalOptions.builder().build());
        ContainerRun run = new ContainerRun(plan.def.container("web").orElseThrow(), "ward-shop-web", "t1");
        run.id = "c".repeat(64);
        run.imageId = "ab".repeat(32);
        var container = MetadataJson.container(plan, run, false);
        assertThat(container.get("ImageID").asText()).isEqualTo("sha256:" + "ab".repeat(32));
        assertThat(container.get("Image").asText()).isEqualTo("nginx:1.27");
        assertThat(container.get("DockerId").asText()).isEqualTo("c".repeat(64));
        run.imageId = "sha256:" + "cd".repeat(32);
        assertThat(MetadataJson.container(plan, run, false).get("ImageID").asText()).isEqualTo(run.imageId);
    }
}
