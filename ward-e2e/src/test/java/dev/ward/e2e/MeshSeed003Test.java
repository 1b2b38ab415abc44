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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 003 (Istio Ambient for ECS) with Ward in place of ztunnel, for real: an echo service and a shell task, each
 * protected by {@code ward inject --mesh} with its own enrollment token (from {@code ward mesh enroll}) kept as a
 * secret, run by {@code ward local run} on one podman network with the relay on this machine. The shell's plain
 * {@code connect()} to the echo task's address is captured and carried in mutual TLS with both identities; the echo
 * service is strict, so the same request made outside Ward's supervision (no mesh) is refused.
 */
@Timeout(900)
@Tag("container")
class MeshSeed003Test {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN_ARN = "arn:aws:ssm:us-west-1:835335437537:parameter/ward/relay-token";
    static final String NETWORK = "ward-e2e-mesh-" + ProcessHandle.current().pid();
    static final String SHELL_ID = "spiffe://cluster.local/ns/ecs/sa/shell-task";
    static final String ECHO_ID = "spiffe://cluster.local/ns/ecs/sa/echo-service";
    static final Path SEED_POLICIES = Path.of("../examples/istio/seed-003.yaml");

    @TempDir
    Path dir;

    @Test
    void theShellReachesTheEchoServiceOnlyThroughTheMesh() throws Exception {
        String image = TestImages.debian();
        String agent = AgentImage.ref();
        try (Relay relay = new Relay(dir, "0.0.0.0")) {
            String relayUrl = "host.containers.internal:" + relay.port;
            Path echo = inject(relay, relayUrl, agent, task("echo-service", image, 80,
                    "echo hello-from-echo > /var/www/html/index.html && exec nginx -g 'daemon off;'"), "echo-service",
                    true);
            Path shell = inject(relay, relayUrl, agent, task("shell-task", image, 1337,
                    "exec socat TCP-LISTEN:1337,reuseaddr,fork EXEC:bash,pty,stderr,setsid,sigint,sane"), "shell-task",
                    false);
            Map<String, String> secrets = Map.of(TOKEN_ARN, Relay.AGENT_TOKEN, meshArn("echo-service"),
                    enroll(relay, "echo-service"), meshArn("shell-task"), enroll(relay, "shell-task"));
            LocalOptions options = LocalOptions.builder().secrets(SecretValues.of(secrets)).pull("never")
                    .network(NETWORK).randomHostPorts(true).maxStopTimeout(Duration.ofSeconds(5)).build();
            try (LocalTask echoTask = LocalTask.start(TaskDefinitionReader.read(echo), options);
                    LocalTask shellTask = LocalTask.start(TaskDefinitionReader.read(shell), options);
                    Shell sh = Shell.connect(shellTask, "shell-task", 1337)) {
                echoTask.awaitRunning("echo-service", Duration.ofSeconds(180));
                String echoAddress = echoTask.address();
                assertThat(echoAddress).isNotNull();
                String request = "exec 3<>/dev/tcp/" + echoAddress + "/80 && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 "
                        + "&& timeout 10 cat <&3; exec 3<&-";
                // The shell's connect is captured and goes in mutual TLS (retried until both identities are issued).
                assertThat(sh.awaitOutput(request, "hello-from-echo")).contains("hello-from-echo");
                JsonNode inbound = relay.awaitEvent("all", e -> e.path("Source").asText().equals("ward-mesh")
                        && e.path("ContainerName").asText().equals("echo-service")
                        && e.path("Data").asText().contains("direction=inbound")
                        && e.path("Data").asText().contains("source=" + SHELL_ID));
                assertThat(inbound.path("Data").asText()).contains("mtls=true");
                JsonNode outbound = relay.awaitEvent("all", e -> e.path("Source").asText().equals("ward-mesh")
                        && e.path("ContainerName").asText().equals("shell-task")
                        && e.path("Data").asText().contains("destination=" + ECHO_ID));
                assertThat(outbound.path("Data").asText()).contains("via=captured").contains("mtls=true");
                // The same request outside Ward's supervision (podman exec): no mesh, and echo is strict.
                var direct = shellTask.exec("shell-task", "bash", "-c", request);
                assertThat(direct.out() + direct.err()).doesNotContain("hello-from-echo")
                        .containsIgnoringCase("refused");
                policySteps(relay, sh, echoAddress, request);
            }
        } finally {
            TestImages.podman().run(List.of("network", "rm", "-f", NETWORK));
        }
    }

    /**
     * Seed 003's policy steps, with its policies (examples/istio/seed-003.yaml) added through the relay while both
     * tasks run: deny-all refuses the shell, allowing its principal lets it through; then POST-only lets a POST
     * through and answers a GET with 403 "RBAC: access denied"; a dry-run deny only reports.
     */
    private void policySteps(Relay relay, Shell sh, String echoAddress, String request) throws Exception {
        Map<String, Path> seed = seedPolicies();
        policy(relay, "add", seed.get("ecs-deny-all").toString());
        awaitWithout(sh, request, "hello-from-echo");
        JsonNode denied = relay.awaitEvent("policy", e -> e.path("PolicyName").asText().equals("ecs/ecs-deny-all"));
        assertThat(denied.path("Action").asText()).isEqualTo("Block");
        assertThat(denied.path("ContainerName").asText()).isEqualTo("echo-service");
        assertThat(denied.path("Data").asText()).contains("source=" + SHELL_ID);

        policy(relay, "add", seed.get("allow-shell").toString());
        sh.awaitOutput(request, "hello-from-echo");

        policy(relay, "delete", "-n", "ecs", "ecs-deny-all", "allow-shell");
        policy(relay, "add", seed.get("post-only-allow").toString());
        String get = sh.awaitOutput(http(echoAddress, "GET"), "RBAC: access denied");
        assertThat(get).contains("HTTP/1.1 403 Forbidden");
        String post = sh.run(http(echoAddress, "POST"));
        assertThat(post).doesNotContain("RBAC: access denied").contains("HTTP/1.1 405");
        JsonNode l7 = relay.awaitEvent("policy", e -> e.path("PolicyName").asText().equals("ecs/post-only-allow"));
        assertThat(l7.path("Action").asText()).isEqualTo("Block");

        policy(relay, "delete", "-n", "ecs", "post-only-allow");
        Path dryRun = Files.writeString(dir.resolve("dry-run.yaml"), """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: deny-shell-dry-run
                  namespace: ecs
                  annotations:
                    istio.io/dry-run: "true"
                spec:
                  action: DENY
                  rules:
                  - from:
                    - source:
                        principals: ["cluster.local/ns/ecs/sa/shell-task"]
                """);
        policy(relay, "add", dryRun.toString());
        JsonNode dry = null;
        for (int i = 0; i < 60 && dry == null; i++) {
            assertThat(sh.run(request)).contains("hello-from-echo");
            dry = relay.findEvent("policy", e -> e.path("PolicyName").asText().equals("ecs/deny-shell-dry-run"));
        }
        assertThat(dry).as("the dry-run policy's report").isNotNull();
        assertThat(dry.path("Action").asText()).isEqualTo("Audit");
        assertThat(dry.path("Data").asText()).contains("dry-run");
    }

    /** A bash command sending one HTTP/1.1 request to the echo service's port 80 and printing the answer. */
    private static String http(String address, String method) {
        return "exec 3<>/dev/tcp/" + address + "/80 && printf '" + method + " / HTTP/1.1\\r\\nHost: echo-service\\r\\n"
                + "Content-Length: 0\\r\\nConnection: close\\r\\n\\r\\n' >&3 && timeout 10 cat <&3; exec 3<&-";
    }

    /** Sends {@code command} until its output no longer contains {@code text} (a policy takes a moment to arrive). */
    private static void awaitWithout(Shell sh, String command, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sh.run(command).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + command + "' still prints '" + text + "'");
            }
            Thread.sleep(500);
        }
    }

    private static void policy(Relay relay, String... args) throws Exception {
        List<String> a = new java.util.ArrayList<>(List.of("policy"));
        a.addAll(List.of(args));
        WardCli.ok(relay.adminEnv(), a.toArray(String[]::new));
    }

    /** Each document of the seed's example file, by name, in a file of its own. */
    private Map<String, Path> seedPolicies() throws Exception {
        Map<String, Path> out = new java.util.HashMap<>();
        for (String doc : Files.readString(SEED_POLICIES).split("(?m)^---$")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^  name: (\\S+)$").matcher(doc);
            if (m.find()) {
                out.put(m.group(1), Files.writeString(dir.resolve(m.group(1) + ".yaml"), doc));
            }
        }
        return out;
    }

    private String enroll(Relay relay, String account) throws Exception {
        return WardCli.ok(relay.adminEnv(), "mesh", "enroll", "ecs/" + account).strip();
    }

    private static String meshArn(String account) {
        return "arn:aws:ssm:us-west-1:835335437537:parameter/ward/mesh/" + account;
    }

    private Path inject(Relay relay, String relayUrl, String agent, Path task, String account, boolean strict)
            throws Exception {
        Path out = dir.resolve(account + "-protected.json");
        List<String> args = new java.util.ArrayList<>(List.of("inject", task.toString(), "--agent-image", agent,
                "--relay", relayUrl, "--relay-token-secret", TOKEN_ARN, "--mesh", "--mesh-identity", "ecs/" + account,
                "--mesh-token-secret", meshArn(account), "--env", "WARD_REQUIRE_MESH=1", "-o", out.toString()));
        if (strict) {
            args.add("--mesh-strict");
        }
        String err = WardCli.run(Map.of(), 300, args.toArray(String[]::new)).stderr();
        assertThat(err).contains("mesh identity ecs/" + account + ": store a token from 'ward mesh enroll ecs/"
                + account + "'");
        assertThat(out).exists();
        return out;
    }

    /** A seed-003-like task: one essential container running {@code script} in bash, its port mapped. */
    private Path task(String family, String image, int port, String script) throws Exception {
        ObjectNode task = JSON.createObjectNode();
        task.put("family", family);
        task.put("networkMode", "awsvpc");
        task.putArray("requiresCompatibilities").add("FARGATE");
        task.put("cpu", "512");
        task.put("memory", "1024");
        ObjectNode c = task.putArray("containerDefinitions").addObject();
        c.put("name", family);
        c.put("image", image);
        c.put("essential", true);
        c.putArray("entryPoint").add("bash").add("-c");
        c.putArray("command").add(script);
        c.putArray("portMappings").addObject().put("containerPort", port).put("protocol", "tcp");
        Path file = dir.resolve(family + "-task.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), task);
        return file;
    }
}
