package dev.ward.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.taskdef.Container;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretValuesTest {
    @TempDir
    Path dir;

    /** A container "app" with these secrets, read as every task definition is. */
    private static Container withSecrets(Secret... secrets) {
        StringBuilder list = new StringBuilder();
        for (Secret s : secrets) {
            list.append(list.isEmpty() ? "" : ", ").append("{\"name\": \"").append(s.name()).append("\", \"valueFrom\": \"")
                    .append(s.valueFrom()).append("\"}");
        }
        return TaskDefinitionReader.parse(null, "{\"family\": \"f\", \"containerDefinitions\": [{\"name\": \"app\", "
                + "\"image\": \"i\", \"secrets\": [" + list + "]}]}").containers().getFirst();
    }

    private record Secret(String name, String valueFrom) {}

    @Test
    void keyValueLinesByNameOrValueFrom() throws Exception {
        Path f = dir.resolve("s.env");
        Files.writeString(f, "# comment\n\nDB_PASS=a=b=c\narn:aws:ssm:us-east-1:1:parameter/token=tok\n");
        Map<String, String> v = SecretValues.read(f).resolve(withSecrets(new Secret("DB_PASS", "arn:x"),
                new Secret("TOKEN", "arn:aws:ssm:us-east-1:1:parameter/token")));
        assertThat(v).containsExactly(Map.entry("DB_PASS", "a=b=c"), Map.entry("TOKEN", "tok"));
    }

    @Test
    void jsonValueFromWinsOverName() throws Exception {
        Path f = dir.resolve("s.json");
        Files.writeString(f, "{\"S\": \"by-name\", \"arn:s\": \"by-arn\"}");
        assertThat(SecretValues.read(f).resolve(withSecrets(new Secret("S", "arn:s")))).containsEntry("S", "by-arn");
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
        assertThatThrownBy(() -> SecretValues.read(ok).resolve(withSecrets(new Secret("DB", "arn:db"))))
                .hasMessage("container \"app\": secrets[0] (DB from arn:db): no value in " + ok
                        + "; add a line DB=VALUE or \"arn:db\": \"VALUE\"");
        assertThat(SecretValues.read(ok).toString()).doesNotContain("supersecret");
    }
}
