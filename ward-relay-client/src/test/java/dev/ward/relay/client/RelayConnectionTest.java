package dev.ward.relay.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.api.telemetry.Telemetry;
import dev.ward.policy.testing.PolicyYaml;
import dev.ward.relay.api.EventBatch;
import dev.ward.relay.api.Hello;
import dev.ward.relay.api.PolicyAck;
import dev.ward.relay.api.PolicyBundle;
import dev.ward.relay.api.PolicyDocument;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RelayConnectionTest {
    private final String name = InProcessServerBuilder.generateName();
    private final FakeContext context = new FakeContext(Map.of());
    private final EventBuffer buffer = new EventBuffer(1000);
    private RelayConnection connection;

    private RelayConnection connect() {
        connection = new RelayConnection(() -> InProcessChannelBuilder.forName(name).build(), "tok",
                () -> RelayPlugin.hello(context, "agent-1"), buffer, new PolicyApplier(context), new Backoff(20, 200),
                context.diagnostics, name);
        connection.start();
        return connection;
    }

    @AfterEach
    void stop() {
        if (connection != null) {
            connection.stop(Duration.ZERO);
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    static Telemetry alert(String resource) {
        Telemetry t = new Telemetry();
        t.type = Telemetry.TYPE_ALERT;
        t.timestampNanos = System.currentTimeMillis() * 1_000_000L;
        t.containerName = "web";
        t.operation = "File";
        t.resource = resource;
        t.policyName = "p";
        t.atags = List.of("NIST");
        return t;
    }

    static String policy(String name, String path) {
        return PolicyYaml.blockFile(name, "web", path);
    }

    private static PolicyBundle bundle(long version, String... yamlByName) {
        PolicyBundle.Builder b = PolicyBundle.newBuilder().setVersion(version);
        for (int i = 0; i < yamlByName.length; i += 2) {
            b.addPolicies(PolicyDocument.newBuilder().setName(yamlByName[i]).setYaml(yamlByName[i + 1]));
        }
        return b.build();
    }

    @Test
    void saysHelloWithTheTokenAndIdentityAndAppliesTheFirstSet() throws Exception {
        try (FakeRelay relay = new FakeRelay(name)) {
            relay.onHello = bundle(3, "block-a", policy("block-a", "/a"));
            context.logFilter = dev.ward.api.LogFilter.ALL;
            connect();
            Hello h = relay.hellos.poll(30, TimeUnit.SECONDS);
            assertThat(h).isNotNull();
            assertThat(h.getContainerName()).isEqualTo("web");
            assertThat(h.getLabelsMap()).containsEntry("app", "shop");
            assertThat(h.getAgentId()).isNotBlank();
            assertThat(h.getLogFilter()).as("whether watchers can expect logs").isEqualTo("all");
            assertThat(relay.tokens.poll()).isEqualTo("Bearer tok");
            PolicyAck ack = relay.policyAcks.poll(30, TimeUnit.SECONDS);
            assertThat(ack.getApplied()).isTrue();
            assertThat(ack.getVersion()).isEqualTo(3);
            assertThat(context.policies).extracting(p -> p.name()).containsExactly("block-a");
        }
    }

    @Test
    void eventsKeepTheThreadIdAndWorkingDirectoryKubeArmorsMessagesHaveNoFieldFor() {
        Telemetry t = alert("/etc/shadow");
        t.pid = 100;
        t.tid = 101;
        t.cwd = "/srv/app";
        var e = TelemetryProtos.toEvent(t);
        assertThat(e.getAlert().getPID()).isEqualTo(100);
        assertThat(e.getTid()).isEqualTo(101);
        assertThat(e.getCwd()).isEqualTo("/srv/app");
    }

    @Test
    void anInvalidSetIsRejectedAndTheLastGoodOneStays() throws Exception {
        try (FakeRelay relay = new FakeRelay(name)) {
            relay.onHello = bundle(1, "good", policy("good", "/a"));
            connect();
            assertThat(relay.policyAcks.poll(30, TimeUnit.SECONDS).getApplied()).isTrue();
            relay.push(bundle(2, "good", policy("good", "/a"), "bad", policy("bad", "not/absolute")));
            PolicyAck rejected = relay.policyAcks.poll(30, TimeUnit.SECONDS);
            assertThat(rejected.getApplied()).isFalse();
            assertThat(rejected.getError()).contains("relay:bad");
            assertThat(context.policies).extracting(p -> p.name()).containsExactly("good");
            assertThat(context.replacements).isEqualTo(1);
            assertThat(context.diagnosticsText()).contains("rejected, still enforcing v1");
        }
    }

    @Test
    void eventsSurviveARelayOutageAndUnacknowledgedBatchesAreResent() throws Exception {
        RelaySink sink = new RelaySink(buffer);
        FakeRelay first = new FakeRelay(name);
        connect();
        sink.write(alert("/before"));
        await("the first event", () -> first.events() == 1);
        first.ack = false;
        sink.write(alert("/unacknowledged"));
        await("the second event", () -> first.events() == 2);
        first.close();
        await("the agent to notice", () -> !connection.connected());
        for (int i = 0; i < 50; i++) {
            sink.write(alert("/during-" + i));
        }
        try (FakeRelay second = new FakeRelay(name)) {
            await("the unacknowledged and buffered events", () -> second.events() == 51);
            List<String> resources = second.batches.stream().flatMap(b -> b.getEventsList().stream())
                    .map(e -> e.getAlert().getResource()).toList();
            assertThat(resources.getFirst()).isEqualTo("/unacknowledged");
            assertThat(resources).contains("/during-0", "/during-49").doesNotContain("/before");
            assertThat(second.batches.getFirst().getSequence()).isEqualTo(first.batches.get(1).getSequence());
            assertThat(second.batches).extracting(EventBatch::getSequence).isSorted();
            await("the unacknowledged count to drain", () -> connection.unacknowledged() == 0);
            assertThat(connection.sessions()).isEqualTo(2);
            assertThat(context.diagnosticsText()).contains("connection to " + name + " lost");
        }
    }

    /** A failure outside a session (here, the identity cannot be read) is said, not lost with the thread. */
    @Test
    void aConnectionThreadThatCannotGoOnSaysSo() throws Exception {
        connection = new RelayConnection(() -> InProcessChannelBuilder.forName(name).build(), "tok",
                () -> {
                    throw new IllegalStateException("no task metadata");
                }, buffer, new PolicyApplier(context), new Backoff(20, 200), context.diagnostics, name);
        connection.start();
        await("the report", () -> context.diagnosticsText().contains("stopped for good"));
        assertThat(context.diagnosticsText()).contains("no task metadata").contains("events are no longer sent");
    }

    @Test
    void aFullBufferDropsCountsAndReportsWithoutBlocking() throws Exception {
        EventBuffer small = new EventBuffer(5);
        RelaySink sink = new RelaySink(small);
        long start = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            sink.write(alert("/x" + i));
        }
        assertThat(System.nanoTime() - start).as("never waits for a relay").isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(small.size()).isEqualTo(5);
        assertThat(small.dropped()).isEqualTo(3);
        try (FakeRelay relay = new FakeRelay(name)) {
            connection = new RelayConnection(() -> InProcessChannelBuilder.forName(name).build(), "tok",
                    () -> RelayPlugin.hello(context, "agent-1"), small, new PolicyApplier(context), new Backoff(20, 200),
                    context.diagnostics, name);
            connection.start();
            await("the kept events", () -> relay.events() == 5);
            assertThat(relay.batches.getLast().getDroppedTotal()).isEqualTo(3);
            List<String> kept = relay.batches.stream().flatMap(b -> b.getEventsList().stream())
                    .map(e -> e.getAlert().getResource()).toList();
            assertThat(kept).containsExactly("/x0", "/x1", "/x2", "/x3", "/x4");
        }
    }

    @Test
    void stopDeliversWhatIsBufferedWhileTheRelayIsUp() throws Exception {
        try (FakeRelay relay = new FakeRelay(name)) {
            connect();
            await("the session", () -> connection.connected());
            RelaySink sink = new RelaySink(buffer);
            for (int i = 0; i < 700; i++) {
                sink.write(alert("/y" + i));
            }
            connection.stop(Duration.ofSeconds(30));
            assertThat(relay.events()).isEqualTo(700);
            assertThat(buffer.size()).isZero();
        }
    }
}
