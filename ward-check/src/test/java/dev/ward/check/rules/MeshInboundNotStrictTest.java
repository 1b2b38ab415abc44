package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MeshInboundNotStrictTest {

    @Test
    void aMeshedContainerWithoutStrictInboundIsReported() {
        assertThat(check("WARD-ECS-026", taskWith(c -> c.putArray("environment").addObject().put("name", "WARD_MESH")
                .put("value", "on")))).singleElement().satisfies(f -> assertThat(f.message())
                .contains("without WARD_MESH_INBOUND=strict"));
        assertThat(check("WARD-ECS-026", taskWith(c -> {
            var env = c.putArray("environment");
            env.addObject().put("name", "WARD_MESH").put("value", "on");
            env.addObject().put("name", "WARD_MESH_INBOUND").put("value", "open");
        }))).singleElement().satisfies(f -> assertThat(f.message()).contains("WARD_MESH_INBOUND=open"));
    }

    @Test
    void strictOrNoMeshIsSilent() {
        assertThat(check("WARD-ECS-026", taskWith(c -> {
            var env = c.putArray("environment");
            env.addObject().put("name", "WARD_MESH").put("value", "on");
            env.addObject().put("name", "WARD_MESH_INBOUND").put("value", "Strict");
        }))).isEmpty();
        assertThat(check("WARD-ECS-026", taskWith(c -> c.putArray("environment").addObject().put("name", "WARD_MESH")
                .put("value", "off")))).isEmpty();
    }
}
