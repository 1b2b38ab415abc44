package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.relay.api.MeshEnrollRequest;
import dev.ward.relay.api.MeshListRequest;
import dev.ward.relay.api.MeshListResponse;
import dev.ward.relay.api.RelayAdminGrpc;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two tasks, each in its own network namespace with its own address, each under a real agent with WARD_MESH=on,
 * and the relay on the bridge as their CA and directory. Task A reaches task B's web server through the SOCKS5
 * port and, with a plain client that knows nothing of proxies, through the transparent capture of connect(); both
 * cross the network inside mutual TLS (HBONE to B's 15008), B sees A's SPIFFE ID, and the client's getpeername()
 * still says it talks to B.
 */
@Tag("process")
class MeshEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT = "spiffe://cluster.local/ns/demo/sa/client";
    private static final String SERVER = "spiffe://cluster.local/ns/demo/sa/server";

    @TempDir
    Path dir;

    @Test
    void tasksTalkThroughMutualTlsWithIdentitiesFromTheRelay() throws Exception {
        try (TwoTasks t = new TwoTasks(dir)) {
            String serverToken = enroll(t.stub, "server");
            String clientToken = enroll(t.stub, "client");
            String b = t.net.address(1);
            try (AgentJvm server = AgentJvm.start(t.net.exec(1), dir, "b", env(t.relay, serverToken, b),
                    List.of("--container-name", "server", "--", "python3", "-m", "http.server", "8080",
                            "--bind", "0.0.0.0", "--directory", t.www.toString()))) {
                awaitWorkload(t.stub, SERVER, server);
                String peer = "import socket; s = socket.create_connection(('" + b + "', 8080), timeout=5); "
                        + "print('peer', s.getpeername()[0], s.getpeername()[1]); "
                        + "s.sendall(b'GET /hello.txt HTTP/1.0\\r\\n\\r\\n'); "
                        + "print(b''.join(iter(lambda: s.recv(4096), b'')).decode())";
                String script = "curl -sS --max-time 10 --proxy socks5h://127.0.0.1:15080 http://" + b
                        + ":8080/hello.txt; curl -sS --max-time 10 http://" + b + ":8080/hello.txt; python3 -c \""
                        + peer.replace("\"", "\\\"") + "\"";
                try (AgentJvm client = AgentJvm.start(t.net.exec(0), dir, "a", env(t.relay, clientToken,
                        t.net.address(0)), List.of("--container-name", "client", "--", "sh", "-c", script))) {
                    assertThat(client.awaitExit()).as(client.stderr()).isZero();
                    String out = client.stdout();
                    assertThat(count(out, "hello from task B")).as(out).isEqualTo(3);
                    assertThat(out).contains("peer " + b + " 8080");
                    List<JsonNode> outbound = network(dir.resolve("a.jsonl"), 3);
                    assertThat(outbound).extracting(e -> e.path("Data").asText())
                            .anyMatch(d -> d.contains("via=socks5") && d.contains("destination=" + SERVER)
                                    && d.contains("mtls=true") && d.contains("hbone=200"))
                            .anyMatch(d -> d.contains("via=captured") && d.contains("destination=" + SERVER)
                                    && d.contains("mtls=true"));
                    assertThat(outbound).filteredOn(e -> e.path("Data").asText().contains("via=captured"))
                            .allMatch(e -> e.path("PID").asInt() > 0 && !e.path("ProcessName").asText().isEmpty());
                }
                List<JsonNode> inbound = network(dir.resolve("b.jsonl"), 3);
                assertThat(inbound).extracting(e -> e.path("Data").asText()).allMatch(d ->
                        d.contains("direction=inbound") && d.contains("source=" + CLIENT) && d.contains("mtls=true"));
                TestRelay.await("the relay counting the agents' mesh connections", () ->
                        connections(t.relay, "inbound") >= 3 && connections(t.relay, "outbound") >= 3);
            }
        }
    }

    /**
     * WARD_MESH_INBOUND=strict: the server's wildcard bind is made on the loopback, so a plaintext client outside the
     * task is refused while the mesh still delivers.
     */
    @Test
    void strictInboundLeavesOnlyTheMeshAsAWayIn() throws Exception {
        try (TwoTasks t = new TwoTasks(dir)) {
            String b = t.net.address(1);
            Map<String, String> strict = new java.util.HashMap<>(env(t.relay, enroll(t.stub, "server"), b));
            strict.put("WARD_MESH_INBOUND", "strict");
            try (AgentJvm server = AgentJvm.start(t.net.exec(1), dir, "b", strict,
                    List.of("--container-name", "server", "--", "python3", "-m", "http.server", "8080",
                            "--bind", "0.0.0.0", "--directory", t.www.toString()))) {
                awaitWorkload(t.stub, SERVER, server);
                Process plain = new ProcessBuilder("curl", "-sS", "--max-time", "5", "http://" + b
                        + ":8080/hello.txt").redirectErrorStream(true).start();
                String refused = new String(plain.getInputStream().readAllBytes());
                assertThat(plain.waitFor()).as("curl's exit status (7: could not connect): " + refused).isEqualTo(7);
                try (AgentJvm client = AgentJvm.start(t.net.exec(0), dir, "a", env(t.relay, enroll(t.stub, "client"),
                        t.net.address(0)), List.of("--container-name", "client", "--", "curl", "-sS",
                        "--max-time", "10", "http://" + b + ":8080/hello.txt"))) {
                    assertThat(client.awaitExit()).as(client.stderr()).isZero();
                    assertThat(client.stdout()).contains("hello from task B");
                }
                // The mesh delivered from 127.0.0.1, yet http.server's accept() saw the client task.
                assertThat(logged(server, "\"GET /hello.txt ")).startsWith(t.net.address(0) + " - - [");
            }
        }
    }

    /**
     * Egress to a server outside the mesh (task B's address, no agent there): curl may reach it by address, directly
     * and through the SOCKS5 port; python3 only as hello.example, read from its request by the capture port. So
     * python3's connect to another port fails with EACCES at once, and its request naming another host is reset;
     * both denials are alerts naming the policy and the process.
     */
    @Test
    void anEgressPolicyDecidesByAddressProcessAndName() throws Exception {
        Process which = new ProcessBuilder("python3", "-c", "import os, sys; print(os.path.realpath(sys.executable))")
                .start();
        String python = new String(which.getInputStream().readAllBytes()).strip();
        try (TwoTasks t = new TwoTasks(dir)) {
            String b = t.net.address(1);
            Path policy = Files.writeString(dir.resolve("egress.yaml"), """
                    apiVersion: security.istio.io/v1
                    kind: AuthorizationPolicy
                    metadata:
                      name: egress
                      namespace: demo
                      annotations:
                        ward.dev/direction: egress
                    spec:
                      action: ALLOW
                      rules:
                      - to:
                        - operation: {ports: ["8080"]}
                        when:
                        - key: destination.ip
                          values: ["%s"]
                        - key: source.process
                          values: ["/usr/bin/curl"]
                      - to:
                        - operation: {hosts: ["hello.example"], ports: ["8080"]}
                        when:
                        - key: source.process
                          values: ["%s"]
                    """.formatted(b, python));
            List<String> serve = new ArrayList<>(t.net.exec(1));
            serve.addAll(List.of("python3", "-m", "http.server", "8080", "--bind", "0.0.0.0", "--directory",
                    t.www.toString()));
            Process server = new ProcessBuilder(serve).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile()).start();
            try {
                TestRelay.await("the server outside the mesh", () -> reachable(b, 8080));
                Path client = Files.writeString(dir.resolve("client.py"), """
                        import socket
                        def fetch(port, host):
                            try:
                                s = socket.create_connection(('%s', port), timeout=5)
                                s.sendall(('GET /hello.txt HTTP/1.0\\r\\nHost: ' + host + '\\r\\n\\r\\n').encode())
                                print('python', host, b''.join(iter(lambda: s.recv(4096), b'')).decode())
                            except OSError as e:
                                print('python', host, 'errno', e.errno)
                        fetch(8081, 'hello.example')
                        fetch(8080, 'hello.example')
                        fetch(8080, 'other.example')
                        """.formatted(b));
                String script = "curl -sS --max-time 10 http://" + b + ":8080/hello.txt; curl -sS --max-time 10 "
                        + "--proxy socks5h://127.0.0.1:15080 http://" + b + ":8080/hello.txt; python3 " + client;
                try (AgentJvm agent = AgentJvm.start(t.net.exec(0), dir, "a", env(t.relay, enroll(t.stub,
                        "client"), t.net.address(0)), List.of("--container-name", "client", "--policy",
                        policy.toString(), "--", "sh", "-c", script))) {
                    assertThat(agent.awaitExit()).as(agent.stderr()).isZero();
                    String out = agent.stdout();
                    assertThat(count(out, "hello from task B")).as(out).isEqualTo(3);
                    assertThat(out).contains("python hello.example errno 13")
                            .containsPattern("python other.example (errno 104|\\n)");
                    List<JsonNode> alerts = alerts(dir.resolve("a.jsonl"), 2);
                    assertThat(alerts).allSatisfy(alert -> {
                        assertThat(alert.path("PolicyName").asText()).isEqualTo("demo/egress");
                        assertThat(alert.path("Action").asText()).isEqualTo("Block");
                        assertThat(alert.path("Result").asText()).isEqualTo("Permission denied");
                        assertThat(alert.path("ProcessName").asText()).isEqualTo(python);
                        assertThat(alert.path("Data").asText()).startsWith("direction=egress via=captured source="
                                + CLIENT);
                    });
                    assertThat(alerts).extracting(a -> a.path("Resource").asText()).containsExactly(
                            "remoteip=" + b + " port=8081 protocol=TCP", "remoteip=" + b + " port=8080 protocol=TCP");
                    assertThat(alerts.get(1).path("Data").asText()).contains(" host=other.example ");
                }
            } finally {
                server.destroy();
            }
        }
    }

    static boolean reachable(String host, int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(host, port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The first line of the agent's stderr (where the workload's goes) that contains {@code text}, waited for. */
    private static String logged(AgentJvm agent, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            java.util.Optional<String> line = agent.stderr().lines().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no line with " + text + " in the agent's stderr:\n" + agent.stderr());
    }

    /**
     * Seed 003's first steps at L4, in the server task's own proxy: a deny-all policy for its namespace refuses the
     * client (401 on the tunnel, an alert naming the policy), and an ALLOW for the client's principal lets it in.
     */
    @Test
    void anAuthorizationPolicyDeniesAllThenAllowsTheClientsPrincipal() throws Exception {
        String denyAll = """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: demo-deny-all
                  namespace: demo
                spec: {}
                """;
        String allowClient = """
                ---
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
        Path denied = Files.writeString(dir.resolve("deny.yaml"), denyAll);
        Path allowed = Files.writeString(dir.resolve("allow.yaml"), denyAll + allowClient);
        try (TwoTasks t = new TwoTasks(dir)) {
            String serverToken = enroll(t.stub, "server", 2);
            String clientToken = enroll(t.stub, "client", 2);
            String b = t.net.address(1);
            String fetch = "curl -sS --max-time 10 --proxy socks5h://127.0.0.1:15080 http://" + b + ":8080/hello.txt";
            for (Path policy : List.of(denied, allowed)) {
                String name = policy == denied ? "denied" : "allowed";
                try (AgentJvm server = AgentJvm.start(t.net.exec(1), dir, "b-" + name, env(t.relay, serverToken, b),
                        List.of("--container-name", "server", "--policy", policy.toString(), "--", "python3", "-m",
                                "http.server", "8080", "--bind", "0.0.0.0", "--directory", t.www.toString()))) {
                    awaitWorkload(t.stub, SERVER, server);
                    try (AgentJvm client = AgentJvm.start(t.net.exec(0), dir, "a-" + name, env(t.relay, clientToken,
                            t.net.address(0)), List.of("--container-name", "client", "--", "sh", "-c", fetch))) {
                        int exit = client.awaitExit();
                        if (policy == denied) {
                            assertThat(exit).as(client.stdout()).isNotZero();
                            assertThat(client.stdout()).doesNotContain("hello from task B");
                            JsonNode alert = alerts(dir.resolve("b-denied.jsonl"));
                            assertThat(alert.path("PolicyName").asText()).isEqualTo("demo/demo-deny-all");
                            assertThat(alert.path("Action").asText()).isEqualTo("Block");
                            assertThat(alert.path("Data").asText()).contains("source=" + CLIENT)
                                    .contains("hbone=401");
                        } else {
                            assertThat(exit).as(client.stderr()).isZero();
                            assertThat(client.stdout()).contains("hello from task B");
                        }
                    }
                }
            }
        }
    }

    /**
     * Seed 003's third step, without a waypoint: deny-all plus an ALLOW for the client's principal that names only
     * POST. The server task's own proxy reads the requests inside the tunnel: POST reaches the application, GET is
     * answered 403 {@code RBAC: access denied} by the proxy, and the alert names the method and the path.
     */
    @Test
    void aPostOnlyPolicyLetsPostThroughAndAnswersGetWith403() throws Exception {
        Path policy = Files.writeString(dir.resolve("post-only.yaml"), """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: demo-deny-all
                  namespace: demo
                spec: {}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: post-only
                  namespace: demo
                spec:
                  action: ALLOW
                  rules:
                  - from:
                    - source:
                        principals: ["cluster.local/ns/demo/sa/client"]
                    to:
                    - operation:
                        methods: ["POST"]
                """);
        Path app = Files.writeString(dir.resolve("app.py"), """
                import http.server
                class Handler(http.server.SimpleHTTPRequestHandler):
                    def do_POST(self):
                        self.rfile.read(int(self.headers.get('Content-Length', 0)))
                        body = ('posted ' + self.path + ' to task B\\n').encode()
                        self.send_response(200)
                        self.send_header('Content-Length', str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                http.server.ThreadingHTTPServer(('0.0.0.0', 8080), Handler).serve_forever()
                """);
        try (TwoTasks t = new TwoTasks(dir)) {
            String b = t.net.address(1);
            String curl = "curl -sS --max-time 10 --proxy socks5h://127.0.0.1:15080 -w ' status=%{http_code}\\n' ";
            String script = curl + "-X POST -d order=1 http://" + b + ":8080/orders; " + curl + "http://" + b
                    + ":8080/hello.txt";
            try (AgentJvm server = AgentJvm.start(t.net.exec(1), dir, "b", env(t.relay, enroll(t.stub, "server"), b),
                    List.of("--container-name", "server", "--policy", policy.toString(), "--", "python3",
                            app.toString()))) {
                awaitWorkload(t.stub, SERVER, server);
                try (AgentJvm client = AgentJvm.start(t.net.exec(0), dir, "a", env(t.relay, enroll(t.stub, "client"),
                        t.net.address(0)), List.of("--container-name", "client", "--", "sh", "-c", script))) {
                    assertThat(client.awaitExit()).as(client.stderr()).isZero();
                    assertThat(client.stdout()).contains("posted /orders to task B\n status=200")
                            .contains("RBAC: access denied status=403").doesNotContain("hello from task B");
                }
                JsonNode alert = alerts(dir.resolve("b.jsonl"));
                assertThat(alert.path("PolicyName").asText()).isEqualTo("demo/demo-deny-all,demo/post-only");
                assertThat(alert.path("Action").asText()).isEqualTo("Block");
                assertThat(alert.path("Resource").asText()).isEqualTo("GET /hello.txt");
                assertThat(alert.path("Data").asText()).contains("source=" + CLIENT, "destination=" + SERVER,
                        "http=403");
                assertThat(logged(server, "\"POST /orders ")).isNotEmpty();
                assertThat(server.stderr()).doesNotContain("GET /hello.txt");
            }
        }
    }

    static Map<String, String> env(NettyRelay relay, String token, String address) {
        return Map.of("RELAYSERVERURL", "http://" + relay.address(), "WARD_RELAY_TOKEN", TestRelay.AGENT_TOKEN,
                "WARD_MESH", "on", "WARD_MESH_TOKEN", token, "WARD_MESH_ADDRESS", address, "WARD_REQUIRE_MESH", "1",
                "PATH", System.getenv("PATH"));
    }

    private static String enroll(RelayAdminGrpc.RelayAdminBlockingStub stub, String account) {
        return enroll(stub, account, 1);
    }

    /** A token {@code uses} agents (one per task start) may enroll with. */
    static String enroll(RelayAdminGrpc.RelayAdminBlockingStub stub, String account, int uses) {
        return stub.meshEnroll(MeshEnrollRequest.newBuilder().setNamespace("demo").setServiceAccount(account)
                .setUses(uses).build()).getToken();
    }

    /** The first mesh alert (Type MatchedPolicy) in an agent's output, waiting for it. */
    static JsonNode alerts(Path jsonl) throws Exception {
        return alerts(jsonl, 1).getFirst();
    }

    /** The first {@code n} mesh alerts (Type MatchedPolicy) in an agent's output, waiting for them. */
    static List<JsonNode> alerts(Path jsonl, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            List<JsonNode> found = new ArrayList<>();
            for (String line : Files.readAllLines(jsonl)) {
                JsonNode e = JSON.readTree(line);
                if (e.path("Source").asText().equals("ward-mesh") && e.path("Type").asText().equals("MatchedPolicy")) {
                    found.add(e);
                }
            }
            if (found.size() >= n) {
                return found.subList(0, n);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not " + n + " mesh alerts in " + jsonl + ":\n" + Files.readString(jsonl));
    }

    static void awaitWorkload(RelayAdminGrpc.RelayAdminBlockingStub stub, String id, AgentJvm agent)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && agent.process.isAlive()) {
            MeshListResponse list = stub.meshList(MeshListRequest.getDefaultInstance());
            if (list.getWorkloadsList().stream().anyMatch(w -> w.getSpiffeId().equals(id))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(id + " never joined the mesh; agent stderr:\n" + agent.stderr());
    }

    /** The Network events of the mesh in an agent's output, waiting until at least {@code n} arrived. */
    private static List<JsonNode> network(Path jsonl, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<JsonNode> out = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            out.clear();
            for (String line : Files.readAllLines(jsonl)) {
                JsonNode e = JSON.readTree(line);
                if (e.path("Source").asText().equals("ward-mesh")) {
                    out.add(e);
                }
            }
            if (out.size() >= n) {
                break;
            }
            Thread.sleep(100);
        }
        return out;
    }

    private static double connections(NettyRelay relay, String direction) {
        return relay.server.metricsRegistry().scrape().stream()
                .filter(s -> s.getMetadata().getName().equals("ward_mesh_connections"))
                .flatMap(s -> s.getDataPoints().stream())
                .filter(d -> direction.equals(d.getLabels().get("direction")) && "Passed".equals(d.getLabels().get("result")))
                .mapToDouble(d -> ((CounterSnapshot.CounterDataPointSnapshot) d).getValue()).sum();
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }
}
