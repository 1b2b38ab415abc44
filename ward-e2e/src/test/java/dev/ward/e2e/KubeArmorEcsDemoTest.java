package dev.ward.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.local.LocalOptions;
import dev.ward.local.LocalTask;
import dev.ward.local.SecretValues;
import dev.ward.local.TaskDefinitionReader;
import dev.ward.local.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KubeArmor-on-ECS demo of the seeds, for real: the sample task (a reverse shell, {@code socat
 * TCP-LISTEN:1337,reuseaddr,fork EXEC:bash,...}) protected by {@code ward inject} (agent sidecar, relay address,
 * relay token as a secret), run by {@code ward local} in podman, a relay on this machine; a client runs commands
 * over the socket; {@code ward logs} shows their telemetry; {@code ward policy add} of a Block policy makes the
 * next command fail with Permission denied while the task keeps running, with the alert in {@code ward logs};
 * then the service-account token scenario: cat may read the token, head may not.
 */
@Timeout(900)
@Tag("container")
class KubeArmorEcsDemoTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN_ARN = "arn:aws:ssm:us-east-1:123456789012:parameter/ward/relay-token";
    static final String TOKEN_DIR = "/run/secrets/kubernetes.io/serviceaccount";

    @TempDir
    Path dir;

    @Test
    void telemetryReachesTheRelayAndPoliciesPushedAtRunTimeAreEnforced() throws Exception {
        String app = Embedded.pushed(TestImages.debian()); // in a registry, where inject reads its ENTRYPOINT
        String agent = AgentImage.ref();
        try (Relay relay = new Relay(dir)) {
            Path task = writeSampleTask(app);
            Path protectedTask = dir.resolve("protected.json");
            WardCli.ok(Map.of(), "inject", task.toString(), "--agent-image", agent, "--relay", relay.fromPod(),
                    "--relay-token-secret", TOKEN_ARN, "--env", "WARD_LOG_FILTER=all",
                    // As in the seed's cluster: what an Allow policy does not list is blocked.
                    "--env", "WARD_DEFAULT_FILE_POSTURE=block", "-o", protectedTask.toString());
            JsonNode injected = JSON.readTree(protectedTask.toFile());
            assertThat(injected.toString()).doesNotContain(Relay.AGENT_TOKEN);

            LocalOptions options = LocalOptions.builder().secrets(SecretValues.of(Map.of(TOKEN_ARN, Relay.AGENT_TOKEN))).pull("never")
                    .randomHostPorts(true).maxStopTimeout(Duration.ofSeconds(5)).build();
            try (LocalTask t = LocalTask.start(TaskDefinitionReader.read(protectedTask), options);
                    Shell shell = Shell.connect(t, "armored-container", 1337)) {
                // What the user typed shows up in the relay's history, with the agent's ECS identity.
                assertThat(shell.run("cat /etc/hostname")).doesNotContain("Permission denied");
                JsonNode exec = relay.awaitEvent("all", e -> e.path("Operation").asText().equals("Process")
                        && e.path("Resource").asText().startsWith("/usr/bin/cat /etc/hostname"));
                assertThat(exec.path("ContainerName").asText()).isEqualTo("armored-container");
                // The task's identity from ward local's metadata endpoint, as the agent reads it on ECS.
                assertThat(exec.path("NamespaceName").asText()).isEqualTo("ward-local");
                assertThat(exec.path("ContainerID").asText()).matches("[0-9a-f]{64}");
                assertThat(exec.path("ContainerImage").asText()).startsWith(app).matches(".*@sha256:[0-9a-f]{64}");
                assertThat(exec.path("Labels").asText()).contains("ecs.task-arn=" + t.taskArn())
                        .contains("ecs.cluster=ward-local").contains("ecs.task-family=ka-socat-demo")
                        .contains("kubearmor.io/container.name=armored-container");
                WardCli.Result byTask = WardCli.run(relay.adminEnv(), 60, "logs", "--log-filter", "all", "--since",
                        "1h", "--no-follow", "--json", "--task", t.taskId(), "--namespace", "ward-local");
                assertThat(byTask.stdout()).contains("/usr/bin/cat /etc/hostname");
                assertThat(WardCli.run(relay.adminEnv(), 60, "logs", "--log-filter", "all", "--since", "1h",
                        "--no-follow", "--json", "--task", "0" + t.taskId().substring(1) + "x").stdout()).isBlank();

                // A Block policy added while the task runs: the next head is denied, the alert is in ward logs.
                assertThat(shell.run("head -c 3 /etc/hostname")).doesNotContain("Permission denied");
                WardCli.ok(relay.adminEnv(), "policy", "add", resource("block-head.yaml").toString());
                String denied = shell.awaitOutput("head -c 3 /etc/hostname", "Permission denied");
                assertThat(denied).contains("Permission denied");
                JsonNode alert = relay.awaitEvent("policy", e -> e.path("PolicyName").asText().equals("ksp-block-head"));
                assertThat(alert.path("Action").asText()).isEqualTo("Block");
                assertThat(alert.path("Result").asText()).isEqualTo("Permission denied");

                // The service-account token: cat may read it, head may not.
                WardCli.ok(relay.adminEnv(), "policy", "delete", "ksp-block-head");
                WardCli.ok(relay.adminEnv(), "policy", "add", resource("lenient-allow-sa.yaml").toString());
                shell.awaitOutput("head -c 6 " + TOKEN_DIR + "/token", "Permission denied");
                assertThat(shell.run("cat " + TOKEN_DIR + "/token")).contains("e2e-sa-token").doesNotContain("Permission denied");
                assertThat(shell.run("head -c 100 /etc/passwd")).contains("root:").doesNotContain("Permission denied");
                JsonNode sa = relay.awaitEvent("policy", e -> e.path("PolicyName").asText().equals("ksp-armored-lenient-allow-sa")
                        && e.path("Resource").asText().equals(TOKEN_DIR + "/token"));
                assertThat(sa.path("ProcessName").asText()).isEqualTo("/usr/bin/head");
                assertThat(sa.path("Action").asText()).isEqualTo("Block");
            }
        }
    }

    /** The seed's sample task (KubeArmor's ECS guide), with this machine's Debian image and a token file. */
    private Path writeSampleTask(String image) throws Exception {
        ObjectNode task = JSON.createObjectNode();
        task.put("family", "ka-socat-demo");
        task.put("networkMode", "awsvpc");
        task.putArray("requiresCompatibilities").add("FARGATE");
        task.put("cpu", "512");
        task.put("memory", "1024");
        ObjectNode c = task.putArray("containerDefinitions").addObject();
        c.put("name", "armored-container");
        c.put("image", image);
        c.put("essential", true);
        // The token a Kubernetes pod would have mounted; here the container writes it before starting socat.
        c.putArray("command").add("bash").add("-c").add("mkdir -p " + TOKEN_DIR + " && echo e2e-sa-token > "
                + TOKEN_DIR + "/token && exec socat TCP-LISTEN:1337,reuseaddr,fork EXEC:bash,pty,stderr,setsid,sigint,sane");
        c.putArray("portMappings").addObject().put("containerPort", 1337).put("protocol", "tcp");
        c.putArray("environment").addObject().put("name", "K8S").put("value", "false");
        Path file = dir.resolve("sample-task.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), task);
        return file;
    }

    private static Path resource(String name) throws Exception {
        return Path.of(KubeArmorEcsDemoTest.class.getResource("/" + name).toURI());
    }
}
