package dev.ward.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fixtures every rule test starts from must be clean, or the negative tests prove nothing. */
class BaselineTest {
    @Test
    void baselineTaskDefinitionHasNoFindings() {
        assertThat(TestChecks.check(TestChecks.task())).isEmpty();
    }

    @Test
    void baselineServiceHasNoFindings() {
        assertThat(TestChecks.check(TestChecks.service())).isEmpty();
    }
}
