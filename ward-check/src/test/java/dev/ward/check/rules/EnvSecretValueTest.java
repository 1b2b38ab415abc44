package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.check.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvSecretValueTest {
    private static List<Finding> env(String name, String value) {
        return check("WARD-ECS-002", taskWith(c -> c.putArray("environment").addObject().put("name", name).put("value", value)));
    }

    @Test
    void flagsCredentialValuesWhateverTheName() {
        assertThat(env("X", "AKIAIOSFODNN7EXAMPLE")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("an AWS access key id").doesNotContain("AKIAIOSFODNN7EXAMPLE"));
        assertThat(env("DATABASE_URL", "postgres://app:s3cret@db.internal:5432/app")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("URL with a password").doesNotContain("s3cret"));
        assertThat(env("KEY_PEM", "-----BEGIN RSA PRIVATE KEY-----\nMIIE...")).hasSize(1);
        assertThat(env("CONFIG", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("high-entropy"));
        assertThat(env("GH", "ghp_" + "a1B2c3D4e5".repeat(4))).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("GitHub token"));
    }

    @Test
    void pointsAtTheValue() {
        assertThat(env("X", "AKIAIOSFODNN7EXAMPLE").getFirst().loc().path())
                .isEqualTo("$.containerDefinitions[0].environment[0].value");
    }

    @Test
    void ignoresOrdinaryValues() {
        assertThat(env("FRONTEND_URL", "https://app.example.com")).isEmpty();
        assertThat(env("AWS_COGNITO_USER_POOL_CLIENT_ID", "3870k3kbsr6tbkj6bltab924bp")).isEmpty();
        assertThat(env("SERVICE", "MyServiceNameProduction2024")).isEmpty();
        assertThat(env("DATABASE_URL", "postgres://db.internal:5432/app")).isEmpty();
    }
}
