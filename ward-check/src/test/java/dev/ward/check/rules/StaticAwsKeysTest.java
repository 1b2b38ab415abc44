package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StaticAwsKeysTest {
    @Test
    void flagsEachKeyFromSecrets() {
        var td = taskWith(c -> {
            var s = c.putArray("secrets");
            s.addObject().put("name", "AWS_ACCESS_KEY_ID").put("valueFrom", "arn:aws:ssm:eu-west-1:1:parameter/k");
            s.addObject().put("name", "AWS_SECRET_ACCESS_KEY").put("valueFrom", "arn:aws:ssm:eu-west-1:1:parameter/s");
            s.addObject().put("name", "DB_PASSWORD").put("valueFrom", "arn:aws:ssm:eu-west-1:1:parameter/p");
        });
        assertThat(check("WARD-ECS-019", td)).extracting(f -> f.loc().path()).containsExactly(
                "$.containerDefinitions[0].secrets[0].name", "$.containerDefinitions[0].secrets[1].name");
    }

    @Test
    void ordinarySecretsAreFine() {
        var td = taskWith(c -> c.putArray("secrets").addObject().put("name", "DB_PASSWORD").put("valueFrom", "arn:aws:ssm:x"));
        assertThat(check("WARD-ECS-019", td)).isEmpty();
    }
}
