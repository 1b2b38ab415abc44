package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.task;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SameExecutionAndTaskRoleTest {
    @Test
    void flagsOneRoleForBoth() {
        var td = task();
        td.put("taskRoleArn", td.get("executionRoleArn").asText());
        assertThat(check("WARD-ECS-017", td)).singleElement()
                .satisfies(f -> assertThat(f.loc().path()).isEqualTo("$.taskRoleArn"));
    }

    @Test
    void acceptsDistinctRolesAndMissingOnes() {
        assertThat(check("WARD-ECS-017", task())).isEmpty();
        var noTask = task();
        noTask.remove("taskRoleArn");
        assertThat(check("WARD-ECS-017", noTask)).isEmpty();
        var bothEmpty = task().put("executionRoleArn", "").put("taskRoleArn", "");
        assertThat(check("WARD-ECS-017", bothEmpty)).isEmpty();
    }
}
