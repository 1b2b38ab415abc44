package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.relay.api.AgentInfo;
import dev.ward.relay.api.ListAgentsRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 003's L4 steps with the policies managed on the relay, the server task's agent running throughout: no policy
 * (the client gets through), {@code ward policy add} a deny-all (refused: 401 on the tunnel, an alert naming the
 * policy), an ALLOW for the client's principal (through again), {@code ward policy delete} of both (through).
 * Each step is a new client task; the server's agent swaps its policy set live, without a restart.
 */
@Tag("process")
class MeshPolicyEndToEndTest {
    private static final String CLIENT = "spiffe://cluster.local/ns/demo/sa/client";
    private static final String DENY_ALL = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: demo-deny-all
              namespace: demo
            spec: {}
            """;
    private static final String ALLOW_CLIENT = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: allow-client
              namespace: demo
            spec:
              action: ALLOW
              rules:
              - from:
                - source:
                    principals: ["cluster.local/ns/demo/sa/client"]
            """;

    @TempDir
    Path dir;

    @Test
    void policiesAddedAndDeletedThroughTheRelayDecideTheNextTunnelsWithoutRestartingTheAgents() throws Exception {
        Path deny = Files.writeString(dir.resolve("deny.yaml"), DENY_ALL);
        Path allow = Files.writeString(dir.resolve("allow.yaml"), ALLOW_CLIENT);
        try (TwoTasks t = new TwoTasks(dir)) {
            Map<String, String> admin = Map.of("WARD_RELAY", t.relay.address(), "WARD_RELAY_ADMIN_TOKEN",
                    TestRelay.ADMIN_TOKEN);
            String clientToken = MeshEndToEndTest.enroll(t.stub, "client", 4);
            String b = t.net.address(1);
            try (AgentJvm server = AgentJvm.start(t.net.exec(1), dir, "b", MeshEndToEndTest.env(t.relay,
                    MeshEndToEndTest.enroll(t.stub, "server", 1), b), List.of("--container-name", "server", "--",
                    "python3", "-m", "http.server", "8080", "--bind", "0.0.0.0", "--directory", t.www.toString()))) {
                MeshEndToEndTest.awaitWorkload(t.stub, "spiffe://cluster.local/ns/demo/sa/server", server);
                long pid = server.process.pid();
                assertThat(fetch(t, clientToken, "open")).as("no policy yet").contains("hello from task B");

                var add = NettyRelay.run(new PolicyAddCommand(), admin, deny.toString());
                assertThat(add.out()).as(add.err()).contains("AuthorizationPolicy demo/demo-deny-all: Applied "
                        + "(version 1, sent to 1 agent)");
                awaitApplied(t, 1);
                assertThat(fetch(t, clientToken, "denied")).doesNotContain("hello from task B");
                JsonNode alert = MeshEndToEndTest.alerts(dir.resolve("b.jsonl"));
                assertThat(alert.path("PolicyName").asText()).isEqualTo("demo/demo-deny-all");
                assertThat(alert.path("Data").asText()).contains("source=" + CLIENT).contains("hbone=401");

                assertThat(NettyRelay.run(new PolicyAddCommand(), admin, allow.toString()).out())
                        .contains("AuthorizationPolicy demo/allow-client: Applied (version 2");
                awaitApplied(t, 2);
                assertThat(fetch(t, clientToken, "allowed")).contains("hello from task B");

                var delete = NettyRelay.run(new PolicyDeleteCommand(), admin, "-n", "demo", "demo-deny-all",
                        "allow-client");
                assertThat(delete.exit()).as(delete.err()).isZero();
                awaitApplied(t, 4);
                assertThat(fetch(t, clientToken, "deleted")).contains("hello from task B");

                assertThat(server.process.isAlive()).isTrue();
                assertThat(server.process.pid()).isEqualTo(pid);
                assertThat(server.stderr()).contains("ward: mesh: policy set v4: 0 AuthorizationPolicies from the "
                        + "relay, 0 in force for new tunnels");
            }
        }
    }

    /** A new client task fetching hello.txt from task B through the mesh; its output (its exit when refused). */
    private String fetch(TwoTasks t, String token, String step) throws Exception {
        String b = t.net.address(1);
        try (AgentJvm client = AgentJvm.start(t.net.exec(0), dir, "a-" + step, MeshEndToEndTest.env(t.relay, token,
                t.net.address(0)), List.of("--container-name", "client", "--", "sh", "-c",
                "curl -sS --max-time 10 --proxy socks5h://127.0.0.1:15080 http://" + b + ":8080/hello.txt"))) {
            int exit = client.awaitExit();
            String out = client.stdout();
            assertThat(exit == 0).as(step + ": curl's exit " + exit + ", output " + out + client.stderr())
                    .isEqualTo(out.contains("hello from task B"));
            return out;
        }
    }

    /** Until the server's agent acknowledged policy set {@code version} (it applied it). */
    private static void awaitApplied(TwoTasks t, long version) throws InterruptedException {
        TestRelay.await("the server's agent to apply policy set v" + version, () -> t.stub.listAgents(
                ListAgentsRequest.getDefaultInstance()).getAgentsList().stream()
                .filter(a -> a.getContainerName().equals("server")).mapToLong(AgentInfo::getPolicyVersion)
                .anyMatch(v -> v >= version));
    }
}
