package dev.ward.check.rules;

import static dev.ward.check.TestChecks.app;
import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.task;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NoTaskRoleTest {
    @Test
    void flagsMissingRoleWhenContainersUseAws() {
        var td = task();
        td.remove("taskRoleArn");
        app(td).putArray("environment").addObject().put("name", "AWS_REGION").put("value", "eu-west-1");
        assertThat(check("WARD-ECS-018", td)).singleElement().satisfies(f -> {
            assertThat(f.loc().path()).isEqualTo("$.taskRoleArn");
            assertThat(f.message()).contains("no `taskRoleArn`").contains("AWS_REGION");
        });
    }

    @Test
    void flagsEmptyRoleWithKeysInSecrets() {
        var td = task().put("taskRoleArn", "");
        app(td).putArray("secrets").addObject().put("name", "AWS_SECRET_ACCESS_KEY").put("valueFrom", "arn:aws:ssm:x");
        assertThat(check("WARD-ECS-018", td)).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("an empty `taskRoleArn`"));
    }

    @Test
    void silentWithoutAwsHintsOrWithARole() {
        var td = task();
        td.remove("taskRoleArn");
        assertThat(check("WARD-ECS-018", td)).isEmpty();
        var withRole = task();
        app(withRole).putArray("environment").addObject().put("name", "AWS_REGION").put("value", "eu-west-1");
        assertThat(check("WARD-ECS-018", withRole)).isEmpty();
    }
}
