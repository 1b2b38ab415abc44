package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserUnsetTest {
    @Test
    void flagsMissingUserAndSaysWhatItCannotKnow() {
        assertThat(check("WARD-ECS-004", taskWith(c -> c.remove("user")))).singleElement().satisfies(f -> {
            assertThat(f.loc().path()).isEqualTo("$.containerDefinitions[0].user");
            assertThat(f.message()).contains("image's USER").contains("can't see");
        });
    }

    @Test
    void flagsEmptyUser() {
        assertThat(check("WARD-ECS-004", taskWith(c -> c.put("user", "")))).hasSize(1);
    }

    @Test
    void acceptsAnyExplicitUser() {
        assertThat(check("WARD-ECS-004", taskWith(c -> c.put("user", "1000")))).isEmpty();
        // Root is WARD-ECS-003's finding, not this one's.
        assertThat(check("WARD-ECS-004", taskWith(c -> c.put("user", "root")))).isEmpty();
    }
}
