package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class EfsTransitEncryptionTest {
    private static ObjectNode withEfs(String transit) {
        ObjectNode td = task();
        ObjectNode efs = td.putArray("volumes").addObject().put("name", "data").putObject("efsVolumeConfiguration")
                .put("fileSystemId", "fs-123");
        if (transit != null) {
            efs.put("transitEncryption", transit);
        }
        return td;
    }

    @Test
    void flagsDisabledAndDefault() {
        assertThat(check("WARD-ECS-020", withEfs("DISABLED"))).singleElement()
                .satisfies(f -> assertThat(f.loc().path()).isEqualTo("$.volumes[0].efsVolumeConfiguration.transitEncryption"));
        assertThat(check("WARD-ECS-020", withEfs(null))).singleElement().satisfies(f -> {
            assertThat(f.loc().path()).isEqualTo("$.volumes[0].efsVolumeConfiguration.transitEncryption");
            assertThat(f.message()).contains("default is DISABLED");
        });
    }

    @Test
    void acceptsEnabledAndNonEfsVolumes() {
        assertThat(check("WARD-ECS-020", withEfs("ENABLED"))).isEmpty();
        ObjectNode bind = task();
        bind.putArray("volumes").addObject().put("name", "scratch");
        assertThat(check("WARD-ECS-020", bind)).isEmpty();
    }
}
