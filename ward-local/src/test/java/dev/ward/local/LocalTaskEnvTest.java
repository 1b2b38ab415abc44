package dev.ward.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.local.testing.TestImages;
import dev.ward.taskdef.TaskDef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Environment, secrets, user, working directory and the metadata endpoint, seen from inside a container. */
@Timeout(120)
@Tag("container")
class LocalTaskEnvTest {
    @TempDir
    Path dir;

    @Test
    void environmentSecretsUserWorkdirAndMetadataAreVisibleInside() throws Exception {
        String image = TestImages.busybox();
        ObjectNode app = Tasks.shell("app", image, "echo app up; sleep 1000");
        Tasks.env(app, Map.of("GREETING", "hello world", "AWS_REGION", "overridden-by-ecs"));
        app.putArray("secrets")
                .add(Tasks.JSON.createObjectNode().put("name", "DB_PASS")
                        .put("valueFrom", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"))
                .add(Tasks.JSON.createObjectNode().put("name", "API_KEY").put("valueFrom", "/prod/api-key"));
        app.put("user", "65534");
        app.put("workingDirectory", "/tmp");
        Path envFile = dir.resolve("app.env");
        Files.writeString(envFile, "FROM_FILE=file-value\n");
        app.putArray("environmentFiles").addObject().put("value", envFile.toString()).put("type", "s3");
        Path secrets = dir.resolve("secrets.json");
        String dbPass = "s3cr3t-" + System.nanoTime();
        Files.writeString(secrets, "{\"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf\": \"" + dbPass
                + "\", \"API_KEY\": \"key-by-name\"}");
        TaskDef def = Tasks.parse(Tasks.task("envtest", app));
        Tasks.Collected logs = new Tasks.Collected();
        LocalOptions options = LocalOptions.builder().secrets(SecretValues.read(secrets)).logs(logs)
                .maxStopTimeout(Duration.ofSeconds(1)).build();
        try (LocalTask task = LocalTask.start(def, options)) {
            task.awaitRunning("app", Duration.ofSeconds(30));
            Podman.Result r = task.exec("app", "/bin/sh", "-c",
                    "echo \"G=$GREETING\"; echo \"D=$DB_PASS\"; echo \"K=$API_KEY\"; echo \"F=$FROM_FILE\"; "
                            + "echo \"R=$AWS_REGION\"; echo \"U=$(id -u)\"; echo \"W=$(pwd)\"; echo \"M=$ECS_CONTAINER_METADATA_URI_V4\"");
            assertThat(r.ok()).as(r.err()).isTrue();
            assertThat(r.out()).contains("G=hello world", "D=" + dbPass, "K=key-by-name", "F=file-value",
                    "R=us-east-1", "U=65534", "W=/tmp", "M=http://10.0.2.2:");

            // The metadata endpoint, from inside the container, names the container and the task.
            Podman.Result self = task.exec("app", "/bin/sh", "-c", "wget -qO- \"$ECS_CONTAINER_METADATA_URI_V4\"");
            assertThat(self.ok()).as(self.err()).isTrue();
            JsonNode me = Tasks.JSON.readTree(self.out());
            assertThat(me.path("Name").asText()).isEqualTo("app");
            assertThat(me.path("DockerName").asText()).isEqualTo(task.podmanName("app"));
            assertThat(me.path("KnownStatus").asText()).isEqualTo("RUNNING");
            assertThat(me.path("Labels").path("com.amazonaws.ecs.task-arn").asText()).isEqualTo(task.taskArn());
            assertThat(me.path("DockerId").asText()).hasSize(64);
            Podman.Result taskJson = task.exec("app", "/bin/sh", "-c", "wget -qO- \"$ECS_CONTAINER_METADATA_URI_V4/task\"");
            JsonNode t = Tasks.JSON.readTree(taskJson.out());
            assertThat(t.path("Family").asText()).isEqualTo("envtest");
            assertThat(t.path("Revision").asText()).isEqualTo("1");
            assertThat(t.path("TaskARN").asText()).isEqualTo(task.taskArn());
            assertThat(t.path("LaunchType").asText()).isEqualTo("FARGATE");
            assertThat(t.path("Limits").path("CPU").asDouble()).isEqualTo(0.25);
            assertThat(t.path("Limits").path("Memory").asInt()).isEqualTo(512);
            assertThat(t.path("Containers").get(0).path("Name").asText()).isEqualTo("app");
            // The fields the agent's EcsTask (ward-api) reads for the relay's Hello and the mesh.
            assertThat(find("\"TaskARN\"\\s*:\\s*\"([^\"]*)\"", taskJson.out())).isEqualTo(task.taskArn());
            assertThat(find("\"Family\"\\s*:\\s*\"([^\"]*)\"", taskJson.out())).isEqualTo("envtest");

            // The secret's value is in no command line on the host (podman got it on stdin), nor in `podman ps`.
            // (`podman inspect`, root only, shows a running container's environment, as docker inspect does.)
            assertThat(commandLines()).doesNotContain(dbPass);
            assertThat(task.podman().check("ps", "ps", "--all", "--no-trunc")).doesNotContain(dbPass);
        }
        assertThat(logs.text()).contains("app | app up").doesNotContain(dbPass);
        assertThat(TestImages.podman().run(List.of("secret", "ls", "--format", "{{.Name}}")).out()).doesNotContain(
                Labels.SECRET_PREFIX + "x").doesNotContain("envtest");
    }

    private static String commandLines() throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    b.append(new String(Files.readAllBytes(p.resolve("cmdline")))).append('\n');
                } catch (java.io.IOException e) {
                    // the process ended
                }
            }
        }
        return b.toString();
    }

    private static String find(String pattern, String text) {
        Matcher m = Pattern.compile(pattern).matcher(text);
        return m.find() ? m.group(1) : null;
    }
}
