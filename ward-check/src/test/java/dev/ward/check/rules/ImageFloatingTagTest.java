package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageFloatingTagTest {
    private static final String ECR = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app";

    @Test
    void flagsNoTagLatestAndLatestVariants() {
        assertThat(check("WARD-ECS-014", taskWith(c -> c.put("image", ECR)))).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("has no tag"));
        assertThat(check("WARD-ECS-014", taskWith(c -> c.put("image", ECR + ":latest")))).hasSize(1);
        assertThat(check("WARD-ECS-014", taskWith(c -> c.put("image", "lacework/datacollector:latest-sidecar")))).hasSize(1);
    }

    @Test
    void acceptsVersionTagsAndDigests() {
        assertThat(check("WARD-ECS-014", taskWith(c -> c.put("image", ECR + ":1.4.2")))).isEmpty();
        assertThat(check("WARD-ECS-014", taskWith(c -> c.put("image", ECR + ":latest@sha256:" + "0".repeat(64))))).isEmpty();
        // a registry port is not a tag
        assertThat(check("WARD-ECS-014", taskWith(c -> c.put("image", "registry.local:5000/app:2.0")))).isEmpty();
    }
}
