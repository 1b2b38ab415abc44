package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay with a real agent ({@code ward run} under ptrace) and the CLI: alerts reach {@code ward logs}, a
 * policy added with {@code ward policy add} blocks the running workload without a restart, policies survive a
 * relay restart, and the agent keeps enforcing through an outage and delivers what it buffered.
 */
@Tag("process")
class EndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String blockPolicy(String name, String container, Path file) {
        return TestRelay.policy(name, container, file.toString());
    }

    private RelayServer.Settings settings() {
        return RelayServer.Settings.of(TestRelay.AGENT_TOKEN, TestRelay.ADMIN_TOKEN, null);
    }

    private static Map<String, String> agentEnv(String relay) {
        return Map.of("RELAYSERVERURL", "http://" + relay, "WARD_RELAY_TOKEN", TestRelay.AGENT_TOKEN);
    }

    private static List<JsonNode> parse(String jsonLines) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : jsonLines.split("\n")) {
            if (!l.isBlank()) {
                out.add(JSON.readTree(l));
            }
        }
        return out;
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void alertsFlowPoliciesApplyLiveAndTheAgentRidesOutARelayRestart() throws Exception {
        Path blocked = Files.writeString(dir.resolve("blocked.txt"), "x\n");
        Path secret = Files.writeString(dir.resolve("secret.txt"), "hunter2\n");
        Path stop = dir.resolve("STOP");
        Path local = Files.writeString(dir.resolve("local.yaml"), blockPolicy("local-block", "e2e", blocked));
        Path db = dir.resolve("relay.db");
        String script = "i=0; while [ $i -lt 4000 ] && [ ! -e " + stop + " ]; do "
                + "if cat " + blocked + " >/dev/null 2>&1; then echo blocked-readable; else echo blocked-denied; fi; "
                + "if cat " + secret + " >/dev/null 2>&1; then echo secret-read; else echo secret-denied; fi; "
                + "sleep 0.1; i=$((i+1)); done";

        NettyRelay relay = new NettyRelay(db, 0, settings());
        int port = relay.server.port();
        Map<String, String> admin = Map.of("WARD_RELAY", relay.address(), "WARD_RELAY_ADMIN_TOKEN",
                TestRelay.ADMIN_TOKEN);
        try (AgentJvm agent = AgentJvm.start(dir, "agent", agentEnv(relay.address()), List.of("--container-name",
                "e2e", "--policy", local.toString(), "--", "sh", "-c", script))) {
            // 1. A blocked read shows up in ward logs.
            AtomicReference<NettyRelay.Run> logs = new AtomicReference<>();
            Thread watcher = Thread.ofPlatform().start(() -> logs.set(NettyRelay.run(new LogsCommand(),
                    Map.of("WARD_RELAY", relay.address()), "--log-filter", "policy", "--container", "e2e",
                    "--limit", "1", "-o", "json")));
            watcher.join(TimeUnit.SECONDS.toMillis(90));
            assertThat(watcher.isAlive()).as("ward logs got no alert; agent stderr:\n" + agent.stderr()).isFalse();
            JsonNode alert = parse(logs.get().out()).getFirst();
            assertThat(alert.get("Resource").asText()).isEqualTo(blocked.toString());
            assertThat(alert.get("PolicyName").asText()).isEqualTo("local-block");
            assertThat(alert.get("Action").asText()).isEqualTo("Block");
            assertThat(alert.get("ContainerName").asText()).isEqualTo("e2e");
            assertThat(alert.get("TID").asInt()).as("the thread id, as in the agent's own output").isPositive();
            assertThat(alert.get("TID").asInt()).isEqualTo(alert.get("PID").asInt()); // sh is single-threaded

            // 2. ward policy add blocks the next attempt in the running workload.
            agent.await(agent.out, 0, "secret-read");
            TestRelay.await("the agent to connect", () -> relay.server.agentCount() == 1);
            Path file = Files.writeString(dir.resolve("block-secret.yaml"), blockPolicy("block-secret", "e2e", secret));
            var add = NettyRelay.run(new PolicyAddCommand(), admin, file.toString());
            assertThat(add.out()).as(add.err()).contains("block-secret: Applied").contains("sent to 1 agent");
            agent.await(agent.err, 0, "applied policy set");
            int afterAdd = agent.stdout().length();
            agent.await(agent.out, afterAdd, "secret-denied");
            var agents = NettyRelay.run(new AgentsCommand(), Map.of("WARD_RELAY", relay.address()));
            assertThat(agents.out()).contains("e2e").contains("1 agent connected");

            // 3. Relay outage: the agent keeps enforcing and buffers its alerts.
            relay.close();
            long downAt = System.currentTimeMillis() * 1_000_000L;
            int outageStart = agent.stdout().length();
            TestRelay.await("blocked reads during the outage", () -> {
                try {
                    return count(agent.stdout().substring(outageStart), "blocked-denied") >= 5;
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            String duringOutage = agent.stdout().substring(outageStart);
            long upAt = System.currentTimeMillis() * 1_000_000L;
            assertThat(duringOutage).doesNotContain("secret-read").contains("secret-denied");

            // 4. The relay restarts on the same store: the policy is still there, the agent comes back.
            try (NettyRelay again = new NettyRelay(db, port, settings())) {
                var list = NettyRelay.run(new PolicyListCommand(), Map.of("WARD_RELAY", again.address()));
                assertThat(list.out()).contains("block-secret");
                agent.await(agent.err, 0, "lost");
                // Reconnection backs off up to 15 s between attempts: allow several attempts on a loaded machine.
                TestRelay.await("the agent to reconnect", java.time.Duration.ofSeconds(90),
                        () -> again.server.agentCount() == 1);

                // 5. The alerts buffered during the outage arrive and are stored.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                List<JsonNode> fromOutage = List.of();
                while (fromOutage.isEmpty() && System.nanoTime() < deadline) {
                    var history = NettyRelay.run(new LogsCommand(), Map.of("WARD_RELAY", again.address()),
                            "--since", "10m", "--no-follow", "--container", "e2e", "-o", "json");
                    fromOutage = parse(history.out()).stream().filter(a -> {
                        Instant t = Instant.parse(a.get("UpdatedTime").asText());
                        long nanos = t.getEpochSecond() * 1_000_000_000L + t.getNano();
                        return nanos > downAt && nanos < upAt;
                    }).toList();
                    if (fromOutage.isEmpty()) {
                        Thread.sleep(200);
                    }
                }
                assertThat(fromOutage).as("alerts raised while the relay was down").isNotEmpty();
                assertThat(fromOutage).allSatisfy(a -> assertThat(a.get("Action").asText()).isEqualTo("Block"));

                Files.writeString(stop, "");
                assertThat(agent.awaitExit()).as(agent.stderr()).isZero();
            }
        } finally {
            relay.close();
        }
    }

    @Test
    void requirePolicyHoldsTheWorkloadUntilTheRelaySentItsSet() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "hunter2\n");
        try (NettyRelay relay = new NettyRelay(dir.resolve("relay.db"), 0, settings())) {
            relay.store.putPolicy("", "held-secret", blockPolicy("held-secret", "held", secret));
            Map<String, String> env = new java.util.HashMap<>(agentEnv(relay.address()));
            env.put("WARD_REQUIRE_POLICY", "1");
            // Loaded after start: the registry reads the store on its next poll.
            TestRelay.await("the relay to serve the stored policy", () -> relay.server.metricsRegistry() != null
                    && policyVersion(relay) == 1);
            try (AgentJvm agent = AgentJvm.start(dir, "held", env, List.of("--container-name", "held", "--", "sh",
                    "-c", "if cat " + secret + " >/dev/null 2>&1; then echo first-read-allowed; "
                            + "else echo first-read-denied; fi"))) {
                assertThat(agent.awaitExit()).as(agent.stderr()).isZero();
                assertThat(agent.stdout()).contains("first-read-denied").doesNotContain("allowed");
            }
        }
    }

    @Test
    void requirePolicyWithoutARelayDoesNotStartTheWorkload() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Map<String, String> env = new java.util.HashMap<>(agentEnv("127.0.0.1:" + closed));
        env.put("WARD_REQUIRE_POLICY", "1");
        env.put("WARD_REQUIRE_POLICY_TIMEOUT", "2s");
        try (AgentJvm agent = AgentJvm.start(dir, "nowhere", env, List.of("--container-name", "x", "--", "sh", "-c",
                "echo workload-ran"))) {
            assertThat(agent.awaitExit()).isEqualTo(1);
            assertThat(agent.stderr()).contains("no policy set arrived in time").contains("cannot reach 127.0.0.1");
            assertThat(agent.stdout()).doesNotContain("workload-ran");
        }
    }

    private static double policyVersion(NettyRelay relay) {
        for (var s : relay.server.metricsRegistry().scrape()) {
            if (s.getMetadata().getName().equals("ward_relay_policy_version")) {
                return ((io.prometheus.metrics.model.snapshots.GaugeSnapshot) s).getDataPoints().getFirst().getValue();
            }
        }
        return -1;
    }
}
