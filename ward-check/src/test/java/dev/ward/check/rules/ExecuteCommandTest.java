package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.service;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExecuteCommandTest {
    @Test
    void flagsEnabledExec() {
        assertThat(check("WARD-ECS-022", service().put("enableExecuteCommand", true))).singleElement()
                .satisfies(f -> assertThat(f.loc().path()).isEqualTo("$.enableExecuteCommand"));
    }

    @Test
    void silentWhenOffOrAbsent() {
        assertThat(check("WARD-ECS-022", service().put("enableExecuteCommand", false))).isEmpty();
        assertThat(check("WARD-ECS-022", service())).isEmpty();
    }
}
