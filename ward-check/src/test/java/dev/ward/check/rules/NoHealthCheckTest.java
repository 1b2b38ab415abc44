package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NoHealthCheckTest {
    @Test
    void flagsEssentialContainerWithoutHealthCheck() {
        assertThat(check("WARD-ECS-013", taskWith(c -> c.remove("healthCheck")))).singleElement()
                .satisfies(f -> assertThat(f.loc().path()).isEqualTo("$.containerDefinitions[0].healthCheck"));
        // essential defaults to true
        assertThat(check("WARD-ECS-013", taskWith(c -> {
            c.remove("healthCheck");
            c.remove("essential");
        }))).hasSize(1);
    }

    @Test
    void ignoresNonEssentialContainersAndPresentChecks() {
        assertThat(check("WARD-ECS-013", taskWith(c -> {
            c.remove("healthCheck");
            c.put("essential", false);
        }))).isEmpty();
        assertThat(check("WARD-ECS-013", taskWith(c -> { }))).isEmpty();
    }
}
