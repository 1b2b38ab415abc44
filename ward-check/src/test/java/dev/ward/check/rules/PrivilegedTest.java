package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrivilegedTest {
    @Test
    void flagsPrivilegedAndNotesFargate() {
        assertThat(check("WARD-ECS-005", taskWith(c -> c.put("privileged", true)))).singleElement().satisfies(f -> {
            assertThat(f.loc().path()).isEqualTo("$.containerDefinitions[0].privileged");
            assertThat(f.message()).contains("Fargate");
        });
    }

    @Test
    void acceptsFalseOrAbsent() {
        assertThat(check("WARD-ECS-005", taskWith(c -> c.put("privileged", false)))).isEmpty();
        assertThat(check("WARD-ECS-005", taskWith(c -> c.remove("privileged")))).isEmpty();
    }
}
