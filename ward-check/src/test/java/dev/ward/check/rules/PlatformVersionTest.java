package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.service;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlatformVersionTest {
    @Test
    void flagsOldVersions() {
        assertThat(check("WARD-ECS-023", service().put("platformVersion", "1.3.0"))).singleElement().satisfies(f -> {
            assertThat(f.loc().path()).isEqualTo("$.platformVersion");
            assertThat(f.message()).contains("1.3.0");
        });
    }

    @Test
    void acceptsLatestCurrentDefaultAndEc2() {
        assertThat(check("WARD-ECS-023", service().put("platformVersion", "LATEST"))).isEmpty();
        assertThat(check("WARD-ECS-023", service().put("platformVersion", "1.4.0"))).isEmpty();
        assertThat(check("WARD-ECS-023", service())).isEmpty();
        assertThat(check("WARD-ECS-023", service().put("launchType", "EC2").put("platformVersion", "1.3.0"))).isEmpty();
    }
}
