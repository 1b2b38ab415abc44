package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageNotDigestTest {
    private static final String ECR = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app";

    @Test
    void flagsFixedTagWithoutDigest() {
        assertThat(check("WARD-ECS-015", taskWith(c -> c.put("image", ECR + ":1.4.2")))).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("`1.4.2`"));
    }

    @Test
    void leavesDigestsAloneAndFloatingTagsToTheOtherRule() {
        assertThat(check("WARD-ECS-015", taskWith(c -> c.put("image", ECR + ":1.4.2@sha256:" + "0".repeat(64))))).isEmpty();
        assertThat(check("WARD-ECS-015", taskWith(c -> c.put("image", ECR + ":latest")))).isEmpty();
        assertThat(check("WARD-ECS-015", taskWith(c -> c.put("image", ECR)))).isEmpty();
    }
}
