package dev.ward.check.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void camelCaseNamesAreSplitBeforeMatching() {
        assertThat(Secrets.upperSnake("LaceworkAccessToken")).isEqualTo("LACEWORK_ACCESS_TOKEN");
        assertThat(Secrets.upperSnake("apiKey")).isEqualTo("API_KEY");
        assertThat(Secrets.upperSnake("APIKey")).isEqualTo("API_KEY");
        assertThat(Secrets.upperSnake("db-password")).isEqualTo("DB_PASSWORD");
    }

    @Test
    void secretNames() {
        assertThat(Secrets.secretName("ECS_ENGINE_AUTH_DATA")).isTrue();
        assertThat(Secrets.secretName("SIGNING_KEY")).isTrue();
        assertThat(Secrets.secretName("jwtSecret")).isTrue();
        assertThat(Secrets.secretName("KEYCLOAK_URL")).isFalse();
        assertThat(Secrets.secretName("SSH_PUBLIC_KEY")).isFalse();
        assertThat(Secrets.secretName("PWD")).isFalse();
    }

    @Test
    void entropyOfUniformAndRepeatedStrings() {
        assertThat(Secrets.entropy("aaaa")).isZero();
        assertThat(Secrets.entropy("abcd")).isEqualTo(2.0);
    }

    @Test
    void highEntropyNeedsLengthMixedClassesAndBits() {
        assertThat(Secrets.secretValue("aB3dE5fG7hJ9kL1mN2pQ")).isPresent();
        assertThat(Secrets.secretValue("aB3dE5fG7hJ9kL1mN2p")).as("19 characters").isEmpty();
        assertThat(Secrets.secretValue("0123456789abcdef0123456789abcdef01234567")).as("no upper case").isEmpty();
        assertThat(Secrets.secretValue("this is A sentence with 2 words more")).as("spaces").isEmpty();
    }

    @Test
    void knownFormats() {
        assertThat(Secrets.secretValue("ASIAY34FZKBOKMUTVV7A")).contains("an AWS access key id");
        assertThat(Secrets.secretValue("key=AKIAIOSFODNN7EXAMPLE;")).contains("an AWS access key id");
        assertThat(Secrets.secretValue("xoxb-1234567890-abcdefghij")).contains("a Slack token");
        assertThat(Secrets.secretValue("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"))
                .contains("a JSON Web Token");
        assertThat(Secrets.secretValue("redis://:p4ss@cache:6379")).isEmpty(); // no user part: not matched
        assertThat(Secrets.secretValue("amqp://guest:guest@mq:5672/")).contains("a URL with a password in it");
    }
}
