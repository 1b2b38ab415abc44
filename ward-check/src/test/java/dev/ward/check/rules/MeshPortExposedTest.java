package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class MeshPortExposedTest {

    private static void ports(ObjectNode c, int... ports) {
        var a = c.putArray("portMappings");
        for (int p : ports) {
            a.addObject().put("containerPort", p).put("protocol", "tcp");
        }
    }

    @Test
    void anApplicationPortOfAMeshedContainerIsReported() {
        assertThat(check("WARD-ECS-025", taskWith(c -> {
            c.putArray("environment").addObject().put("name", "WARD_MESH").put("value", "on");
            ports(c, 8080, 15008);
        }))).singleElement().satisfies(f -> assertThat(f.message()).contains("maps port 8080")
                .contains("skips the mesh's mutual TLS"));
    }

    @Test
    void theMeshFlagOnTheCommandLineCountsToo() {
        assertThat(check("WARD-ECS-025", taskWith(c -> {
            c.putArray("entryPoint").add("/ward/bin/ward").add("run").add("--mesh").add("--").add("/app/server");
            ports(c, 9000);
        }))).hasSize(1);
    }

    @Test
    void onlyTheMeshPortOrNoMeshIsSilent() {
        assertThat(check("WARD-ECS-025", taskWith(c -> {
            c.putArray("environment").addObject().put("name", "WARD_MESH").put("value", "on");
            ports(c, 15008);
        }))).isEmpty();
        assertThat(check("WARD-ECS-025", taskWith(c -> ports(c, 8080)))).isEmpty();
        assertThat(check("WARD-ECS-025", taskWith(c -> {
            c.putArray("entryPoint").add("/ward/bin/ward").add("run").add("--").add("/app/server").add("--mesh");
            ports(c, 8080);
        }))).as("--mesh after -- belongs to the application").isEmpty();
    }
}
