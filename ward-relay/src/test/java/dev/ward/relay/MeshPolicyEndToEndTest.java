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
    private static final String EGRESS_ELSEWHERE = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: egress-elsewhere
              namespace: demo
              annotations:
                ward.dev/direction: egress
            spec:
              action: ALLOW
              rules:
              - when:
                - key: destination.ip
                  values: ["192.0.2.1"]
            """;
    /**
     * The client task's workload: at each go-N file, a direct connect to task B's server (outside the mesh) and a
     * fetch through the SOCKS5 port, one result line.
     */
    private static final String STEPS = """
            import os, socket, subprocess, time
            def direct():
                try:
                    s = socket.create_connection(('%1$s', 8080), timeout=5)
                    s.sendall(b'GET /hello.txt HTTP/1.0\\r\\n\\r\\n')
                    body = b''.join(iter(lambda: s.recv(4096), b'')).decode()
                    return 'ok' if 'hello from task B' in body else 'got ' + body
                except OSError as e:
                    return 'errno %%d' %% e.errno
            def proxy():
                r = subprocess.run(['curl', '-sS', '--max-time', '10', '--proxy', 'socks5h://127.0.0.1:15080',
                                    'http://%1$s:8080/hello.txt'], capture_output=True, text=True)
                return 'ok' if 'hello from task B' in r.stdout else 'refused' if r.returncode else 'got ' + r.stdout
            for n in (1, 2, 3):
                while not os.path.exists('%2$s/go-%%d' %% n):
                    time.sleep(0.05)
                print('step %%d: direct %%s proxy %%s' %% (n, direct(), proxy()), flush=True)
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

    /**
     * Egress from the relay: a client task, its agent running throughout, fetches hello.txt from a server outside
     * the mesh with a direct connect and through the SOCKS5 port at each step. No policy: both get through;
     * {@code ward policy add} of an egress ALLOW for another address: the direct connect fails with EACCES, the
     * proxy refuses (SOCKS5 0x02), both are Block alerts naming the policy; {@code ward policy delete}: through
     * again.
     */
    @Test
    void anEgressPolicyFromTheRelayDecidesTheNextConnectsWithoutRestartingTheAgent() throws Exception {
        Path policy = Files.writeString(dir.resolve("egress.yaml"), EGRESS_ELSEWHERE);
        try (TwoTasks t = new TwoTasks(dir)) {
            Map<String, String> admin = Map.of("WARD_RELAY", t.relay.address(), "WARD_RELAY_ADMIN_TOKEN",
                    TestRelay.ADMIN_TOKEN);
            String b = t.net.address(1);
            List<String> serve = new java.util.ArrayList<>(t.net.exec(1));
            serve.addAll(List.of("python3", "-m", "http.server", "8080", "--bind", "0.0.0.0", "--directory",
                    t.www.toString()));
            Process server = new ProcessBuilder(serve).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile()).start();
            TestRelay.await("the server outside the mesh", () -> MeshEndToEndTest.reachable(b, 8080));
            Path steps = Files.writeString(dir.resolve("steps.py"), STEPS.formatted(b, dir));
            try (AgentJvm client = AgentJvm.start(t.net.exec(0), dir, "a", MeshEndToEndTest.env(t.relay,
                    MeshEndToEndTest.enroll(t.stub, "client", 1), t.net.address(0)), List.of("--container-name",
                    "client", "--", "python3", steps.toString()))) {
                assertThat(step(client, 1)).as("no egress policy").isEqualTo("direct ok proxy ok");

                var add = NettyRelay.run(new PolicyAddCommand(), admin, policy.toString());
                assertThat(add.out()).as(add.err()).contains("AuthorizationPolicy demo/egress-elsewhere: Applied "
                        + "(version 1, sent to 1 agent)");
                awaitApplied(t, "client", 1);
                assertThat(step(client, 2)).isEqualTo("direct errno 13 proxy refused");
                List<JsonNode> alerts = MeshEndToEndTest.alerts(dir.resolve("a.jsonl"), 2);
                assertThat(alerts).allSatisfy(alert -> {
                    assertThat(alert.path("PolicyName").asText()).isEqualTo("demo/egress-elsewhere");
                    assertThat(alert.path("Action").asText()).isEqualTo("Block");
                    assertThat(alert.path("Resource").asText()).isEqualTo("remoteip=" + b + " port=8080 protocol=TCP");
                });
                assertThat(alerts).extracting(a -> a.path("Data").asText().split(" ")[1])
                        .containsExactlyInAnyOrder("via=captured", "via=socks5");

                var delete = NettyRelay.run(new PolicyDeleteCommand(), admin, "-n", "demo", "egress-elsewhere");
                assertThat(delete.exit()).as(delete.err()).isZero();
                awaitApplied(t, "client", 2);
                assertThat(step(client, 3)).as("deleted").isEqualTo("direct ok proxy ok");
                assertThat(client.awaitExit()).as(client.stderr()).isZero();
                assertThat(client.stderr()).contains("ward: mesh: policy set v1: 1 AuthorizationPolicy from the "
                        + "relay, 1 in force for new tunnels (1 egress)");
            } finally {
                server.destroy();
            }
        }
    }

    /** Lets the client's step {@code n} run; its result line. */
    private String step(AgentJvm client, int n) throws Exception {
        Files.writeString(dir.resolve("go-" + n), "");
        String out = client.await(client.out, 0, "step " + n + ": ");
        return out.lines().filter(l -> l.startsWith("step " + n + ": ")).findFirst().orElseThrow()
                .substring(("step " + n + ": ").length());
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
        awaitApplied(t, "server", version);
    }

    /** Until the agent of {@code container} acknowledged policy set {@code version} (it applied it). */
    private static void awaitApplied(TwoTasks t, String container, long version) throws InterruptedException {
        TestRelay.await("the " + container + "'s agent to apply policy set v" + version, () -> t.stub.listAgents(
                ListAgentsRequest.getDefaultInstance()).getAgentsList().stream()
                .filter(a -> a.getContainerName().equals(container)).mapToLong(AgentInfo::getPolicyVersion)
                .anyMatch(v -> v >= version));
    }
}
