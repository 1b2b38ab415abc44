package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.task;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostNamespacesTest {
    @Test
    void hostNetworkIsFlagged() {
        var td = task().put("networkMode", "host");
        assertThat(check("WARD-ECS-009", td)).singleElement().satisfies(f -> {
            assertThat(f.loc().path()).isEqualTo("$.networkMode");
            assertThat(f.container()).isNull();
            assertThat(f.message()).contains("only awsvpc");
        });
        assertThat(check("WARD-ECS-009", task().put("networkMode", "awsvpc"))).isEmpty();
    }

    @Test
    void hostPidIsFlagged() {
        assertThat(check("WARD-ECS-010", task().put("pidMode", "host"))).singleElement()
                .satisfies(f -> assertThat(f.loc().path()).isEqualTo("$.pidMode"));
        assertThat(check("WARD-ECS-010", task().put("pidMode", "task"))).isEmpty();
    }

    @Test
    void hostIpcIsFlagged() {
        assertThat(check("WARD-ECS-011", task().put("ipcMode", "host"))).singleElement()
                .satisfies(f -> assertThat(f.loc().path()).isEqualTo("$.ipcMode"));
        assertThat(check("WARD-ECS-011", task().put("ipcMode", "none"))).isEmpty();
    }
}
