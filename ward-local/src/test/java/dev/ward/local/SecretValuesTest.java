package dev.ward.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretValuesTest {
    @TempDir
    Path dir;

    private static ContainerDefinition withSecrets(ContainerDefinition.Secret... secrets) {
        return new ContainerDefinition("app", "i", List.of(), List.of(), Map.of(), List.of(), List.of(secrets), null, null,
                List.of(), List.of(), List.of(), List.of(), true, null, List.of(), List.of(), false, false, null, null, null);
    }

    @Test
    void keyValueLinesByNameOrValueFrom() throws Exception {
        Path f = dir.resolve("s.env");
        Files.writeString(f, "# comment\n\nDB_PASS=a=b=c\narn:aws:ssm:us-east-1:1:parameter/token=tok\n");
        Map<String, String> v = SecretValues.read(f).resolve(withSecrets(new ContainerDefinition.Secret("DB_PASS", "arn:x"),
                new ContainerDefinition.Secret("TOKEN", "arn:aws:ssm:us-east-1:1:parameter/token")));
        assertThat(v).containsExactly(Map.entry("DB_PASS", "a=b=c"), Map.entry("TOKEN", "tok"));
    }

    @Test
    void jsonValueFromWinsOverName() throws Exception {
        Path f = dir.resolve("s.json");
        Files.writeString(f, "{\"S\": \"by-name\", \"arn:s\": \"by-arn\"}");
        assertThat(SecretValues.read(f).resolve(withSecrets(new ContainerDefinition.Secret("S", "arn:s")))).containsEntry("S", "by-arn");
    }

    @Test
    void badLinesAndMissingValuesNeverShowValues() throws Exception {
        Path f = dir.resolve("bad.env");
        Files.writeString(f, "A=1\nsupersecretwithoutequals\n");
        assertThatThrownBy(() -> SecretValues.read(f)).hasMessage(f + ":2: expected NAME=VALUE (or a JSON object)");
        Path j = dir.resolve("bad.json");
        Files.writeString(j, "{\"A\": \"supersecret\"");
        assertThatThrownBy(() -> SecretValues.read(j)).hasMessageNotContaining("supersecret");
        Path ok = dir.resolve("ok.env");
        Files.writeString(ok, "OTHER=supersecret\n");
        assertThatThrownBy(() -> SecretValues.read(ok).resolve(withSecrets(new ContainerDefinition.Secret("DB", "arn:db"))))
                .hasMessage("container \"app\": secrets[0] (DB from arn:db): no value in " + ok
                        + "; add a line DB=VALUE or \"arn:db\": \"VALUE\"");
        assertThat(SecretValues.read(ok).toString()).doesNotContain("supersecret");
    }
}
