package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.check.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvSecretNameTest {
    private static List<Finding> env(String name, String value) {
        ObjectNode td = taskWith(c -> c.putArray("environment").addObject().put("name", name).put("value", value));
        return check("WARD-ECS-001", td);
    }

    @Test
    void flagsSecretNames() {
        for (String name : List.of("DB_PASSWORD", "STRIPE_KEY", "CLIENT_SECRET", "GITHUB_TOKEN", "LaceworkAccessToken",
                "AWS_ACCESS_KEY_ID", "apiKey")) {
            List<Finding> f = env(name, "abcdef");
            assertThat(f).as(name).hasSize(1);
            assertThat(f.getFirst().loc().path()).isEqualTo("$.containerDefinitions[0].environment[0].name");
            assertThat(f.getFirst().message()).contains(name).contains("`app`");
            assertThat(f.getFirst().container()).isEqualTo("app");
        }
    }

    @Test
    void ignoresOrdinaryNamesAndHarmlessValues() {
        assertThat(env("LOG_LEVEL", "debug")).isEmpty();
        assertThat(env("AWS_COGNITO_USER_POOL_CLIENT_ID", "3870k3kbsr6tbkj6bltab924bp")).isEmpty();
        assertThat(env("STRIPE_PUBLISHABLE_KEY", "pk_test_123")).isEmpty();
        assertThat(env("MAX_TOKENS", "4096")).isEmpty();
        assertThat(env("TOKEN_URL", "https://auth.example.com/token")).isEmpty();
        assertThat(env("DB_PASSWORD", "")).isEmpty();
        assertThat(env("DB_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db")).isEmpty();
    }

    @Test
    void leavesLiteralCredentialsToTheValueRule() {
        assertThat(env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")).isEmpty();
    }
}
