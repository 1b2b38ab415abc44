package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ward.relay.api.Event;
import dev.ward.relay.api.feeder.Alert;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay forwards its agents' alerts to falcosidekick (Falco's JSON) and to a webhook (KubeArmor's JSON): checked
 * against a real HTTP receiver (the JDK's server) that fails when told to, and one that hangs.
 */
class AlertForwardingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpServer receiver = receiver();
    private final List<String> sidekick = new CopyOnWriteArrayList<>();
    private final List<String> hook = new CopyOnWriteArrayList<>();
    private final AtomicInteger hookFailures = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        receiver.stop(0);
    }

    @Test
    void alertsReachFalcosidekickAsFalcoJsonAndTheWebhookAsKubeArmorJsonAfterItsFailures() throws Exception {
        hookFailures.set(2); // the webhook answers 503 twice, then takes the alert
        try (TestRelay relay = relay("/sidekick", "/hook", 100, 4)) {
            var agent = relay.agent("web", Map.of());
            agent.nextBundle();
            agent.send(1, alert(1_796_500_000_123_456_789L), TestRelay.log("web", "/bin/ls", 1_796_500_000_000_000_000L));
            agent.nextAck();
            TestRelay.await("the webhook's third try", () -> hook.size() == 3);
            TestRelay.await("falcosidekick's alert", () -> sidekick.size() == 1);

            JsonNode falco = JSON.readTree(sidekick.get(0));
            assertThat(falco.get("rule").asText()).isEqualTo("ward-credential-files");
            assertThat(falco.get("priority").asText()).isEqualTo("Error");
            assertThat(falco.get("time").asText()).isEqualTo("2026-12-05T19:46:40.123456789Z");
            assertThat(falco.get("source").asText()).isEqualTo("syscall");
            assertThat(falco.get("hostname").asText()).isEqualTo("ip-10-0-1-23");
            assertThat(falco.get("tags").toString()).isEqualTo("[\"MITRE\",\"T1552.001\"]");
            assertThat(falco.get("output").asText()).startsWith("19:46:40.123456789: Error credential file accessed");
            assertThat(falco.at("/output_fields/fd.name").asText()).isEqualTo("/etc/shadow");
            assertThat(falco.at("/output_fields/proc.name").asText()).isEqualTo("cat");
            assertThat(falco.at("/output_fields/container.name").asText()).isEqualTo("web");

            JsonNode kubeArmor = JSON.readTree(hook.get(2));
            assertThat(hook).as("the same alert, tried again").containsOnly(hook.get(2));
            assertThat(kubeArmor.get("PolicyName").asText()).isEqualTo("ward-credential-files");
            assertThat(kubeArmor.get("Resource").asText()).isEqualTo("/etc/shadow");
            assertThat(kubeArmor.get("Severity").asText()).isEqualTo("8");
            assertThat(kubeArmor.get("ContainerName").asText()).isEqualTo("web");

            assertThat(counter(relay, "ward_relay_alerts_forwarded", "falcosidekick")).isEqualTo(1);
            assertThat(counter(relay, "ward_relay_alerts_forwarded", "webhook")).isEqualTo(1);
            assertThat(counter(relay, "ward_relay_alerts_forward_retries", "webhook")).isEqualTo(2);
            Thread.sleep(200);
            assertThat(sidekick).as("logs are not forwarded").hasSize(1);
        }
    }

    @Test
    void anAlertThatFailsEveryTryIsCountedAndTheNextOneStillGoes() throws Exception {
        hookFailures.set(3);
        try (TestRelay relay = relay(null, "/hook", 100, 3)) {
            var agent = relay.agent("web", Map.of());
            agent.nextBundle();
            agent.send(1, alert(1_796_500_000_000_000_000L));
            agent.send(2, alert(1_796_500_001_000_000_000L));
            TestRelay.await("the second alert delivered", () -> counter(relay, "ward_relay_alerts_forwarded",
                    "webhook") == 1);
            assertThat(hook).hasSize(4);
            assertThat(dropped(relay, "webhook", "failed")).isEqualTo(1);
            assertThat(counter(relay, "ward_relay_alerts_forward_retries", "webhook")).isEqualTo(2);
        }
    }

    @Test
    void aHangingDestinationNeverHoldsIngestAndItsDropsAreCounted() throws Exception {
        try (TestRelay relay = relay("/hang", null, 2, 1)) {
            var agent = relay.agent("web", Map.of());
            agent.nextBundle();
            Event[] burst = new Event[20];
            for (int i = 0; i < burst.length; i++) {
                burst[i] = alert(1_796_500_000_000_000_000L + i);
            }
            agent.send(1, burst);
            assertThat(agent.nextAck()).as("stored and acknowledged while the destination hangs").isEqualTo(1);
            double dropped = dropped(relay, "falcosidekick", "queue_full");
            assertThat(dropped).as("one in flight, two queued").isBetween(17.0, 18.0);
            release.countDown();
            TestRelay.await("the queued alerts delivered", () -> counter(relay, "ward_relay_alerts_forwarded",
                    "falcosidekick") == 20 - dropped);
        }
    }

    @Test
    void destinationsMustBeHttpUrls() {
        assertThatThrownBy(() -> AlertForwarding.of(URI.create("ftp://x/"), null, 10))
                .hasMessage("--falcosidekick-url ftp://x/: expected an http:// or https:// URL with a host "
                        + "(e.g. http://falcosidekick:2801/)");
        assertThatThrownBy(() -> AlertForwarding.of(null, URI.create("hooks.example.com/x"), 10))
                .hasMessageStartingWith("--alert-webhook hooks.example.com/x: expected an http:// or https:// URL");
        assertThat(AlertForwarding.shown(URI.create("https://hooks.slack.com/services/T0/B0/secret")))
                .isEqualTo("https://hooks.slack.com/...");
    }

    private TestRelay relay(String sidekickPath, String hookPath, int queue, int attempts) throws Exception {
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        AlertForwarding forwarding = new AlertForwarding(sidekickPath == null ? null : URI.create(base + sidekickPath),
                hookPath == null ? null : URI.create(base + hookPath), queue, attempts, Duration.ofMillis(20),
                Duration.ofMillis(100));
        return new TestRelay(dir.resolve("relay.db"), new RelayServer.Settings(TestRelay.AGENT_TOKEN,
                TestRelay.ADMIN_TOKEN, null, 8192, Duration.ofDays(1), Duration.ofSeconds(2), null, forwarding));
    }

    private static Event alert(long tsNanos) {
        return Event.newBuilder().setTimestampNanos(tsNanos).setAlert(Alert.newBuilder().setType("MatchedPolicy")
                .setHostName("ip-10-0-1-23").setContainerName("web").setProcessName("/usr/bin/cat")
                .setOperation("File").setResource("/etc/shadow").setData("syscall=SYS_OPENAT flags=O_RDONLY")
                .setPolicyName("ward-credential-files").setSeverity("8").setTags("MITRE,T1552.001")
                .addATags("MITRE").addATags("T1552.001").setMessage("credential file accessed").setAction("Audit")
                .setResult("Passed").setTimestamp(tsNanos / 1_000_000_000L)).build();
    }

    private HttpServer receiver() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/sidekick", e -> answer(e, sidekick, 200));
            s.createContext("/hook", e -> answer(e, hook, hookFailures.getAndDecrement() > 0 ? 503 : 200));
            s.createContext("/hang", e -> {
                try {
                    release.await();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                answer(e, sidekick, 200);
            });
            s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            s.start();
            return s;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void answer(HttpExchange e, List<String> into, int status) throws IOException {
        assertThat(e.getRequestMethod()).isEqualTo("POST");
        assertThat(e.getRequestHeaders().getFirst("Content-Type")).isEqualTo("application/json");
        into.add(new String(e.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        e.sendResponseHeaders(status, -1);
        e.close();
    }

    private static double counter(TestRelay relay, String name, String destination) {
        return sum(relay, name, Map.of("destination", destination));
    }

    private static double dropped(TestRelay relay, String destination, String reason) {
        return sum(relay, "ward_relay_alerts_forward_dropped", Map.of("destination", destination, "reason", reason));
    }

    private static double sum(TestRelay relay, String name, Map<String, String> labels) {
        for (var s : relay.server.metricsRegistry().scrape()) {
            if (s instanceof CounterSnapshot c && c.getMetadata().getName().equals(name)) {
                return c.getDataPoints().stream().filter(d -> labels.entrySet().stream()
                        .allMatch(l -> l.getValue().equals(d.getLabels().get(l.getKey()))))
                        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
            }
        }
        return 0;
    }
}
