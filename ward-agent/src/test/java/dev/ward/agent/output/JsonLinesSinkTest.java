package dev.ward.agent.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.api.telemetry.JsonLinesSink;
import dev.ward.api.telemetry.Telemetry;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesSinkTest {
    static Telemetry event(int pid, String resource) {
        Telemetry t = new Telemetry();
        t.timestampNanos = 1_700_000_000_123_456_789L;
        t.type = Telemetry.TYPE_ALERT;
        t.containerName = "web";
        t.pid = pid;
        t.tid = pid + 1;
        t.uid = 1000;
        t.operation = "File";
        t.resource = resource;
        t.cwd = "/srv/app/";
        t.userName = "app";
        return t;
    }

    @Test
    void everyLineIsOneObjectWithNothingBeforeIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonLinesSink sink = new JsonLinesSink(out, false)) {
            for (int i = 0; i < 3; i++) {
                sink.write(event(100 + i, "/etc/shadow" + i));
                sink.flush(); // a flush between lines is what the exporter does when it goes idle
            }
            sink.write(event(200, "/a"));
            sink.write(event(201, "/b"));
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(5);
        ObjectMapper mapper = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).as("line %d", i + 1).startsWith("{\"Timestamp\":").endsWith("}");
            JsonNode n = mapper.readTree(lines.get(i));
            assertThat(n.path("Cwd").asText()).isEqualTo("/srv/app/");
            assertThat(n.path("UserName").asText()).isEqualTo("app");
            assertThat(n.path("TID").asInt()).isEqualTo(n.path("PID").asInt() + 1);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("\n ").endsWith("}\n");
    }

    @Test
    void userNamesComeFromThePasswdFileAndFollowItsChanges(@TempDir Path dir) throws Exception {
        Path passwd = dir.resolve("passwd");
        Files.writeString(passwd, "root:x:0:0:root:/root:/bin/sh\n# comment\nbroken\napp:x:1000:1000::/srv:/bin/sh\n"
                + "alias:x:1000:1000::/srv:/bin/sh\n");
        UserNames names = new UserNames(passwd);
        assertThat(names.name(0)).isEqualTo("root");
        assertThat(names.name(1000)).isEqualTo("app");
        assertThat(names.name(4242)).isNull();
        assertThat(new UserNames(dir.resolve("missing")).name(0)).isNull();

        Files.writeString(passwd, "root:x:0:0:root:/root:/bin/sh\nnewcomer:x:4242:4242::/:/bin/sh\n");
        Files.setLastModifiedTime(passwd, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() + 5_000));
        Thread.sleep(1_100); // the file is looked at again at most once a second
        assertThat(names.name(4242)).isEqualTo("newcomer");
    }
}
