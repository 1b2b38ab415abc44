package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.relay.store.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The web console's live streams on the hub: alerts only, in order; a stream nobody reads fills up and loses the
 * rest (counted, also in the relay's dropped-events metric) while publishing never waits; closed, it gets nothing.
 */
class ConsoleFeedTest {
    @Test
    void aSlowStreamLosesAlertsCountedAndNeverHoldsThePublisher() throws Exception {
        RelayMetrics metrics = new RelayMetrics();
        Hub hub = new Hub(metrics);
        assertThat(hub.listening()).isFalse();
        ConsoleHost.LiveAlerts feed = new ConsoleHost(RelayServer.Settings.of("a", "admin", null), null, null,
                new AgentSessions(metrics), hub, null, metrics).liveAlerts(3);
        assertThat(hub.listening()).isTrue();
        assertThat(hub.size()).as("not a gRPC watcher").isZero();
        List<RelayEvent> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(RelayEvent.of(TestRelay.alert("c", "/a" + i, 1_000 + i), "agent-1"));
            batch.add(RelayEvent.of(TestRelay.log("c", "/l" + i, 1_000 + i), "agent-1"));
        }
        long t0 = System.nanoTime();
        hub.publishAll(batch); // 5 alerts, room for 3: returns at once
        hub.publish(RelayEvent.of(TestRelay.alert("c", "/late", 2_000), "agent-1"));
        assertThat(System.nanoTime() - t0).isLessThan(1_000_000_000L);
        assertThat(feed.dropped()).isEqualTo(3);
        List<String> got = new ArrayList<>();
        for (StoredEvent e = feed.poll(100); e != null; e = feed.poll(100)) {
            assertThat(e.agentId()).isEqualTo("agent-1");
            got.add(e.event().getAlert().getResource());
        }
        assertThat(got).containsExactly("/a0", "/a1", "/a2");
        feed.close();
        assertThat(hub.listening()).isFalse();
        hub.publish(RelayEvent.of(TestRelay.alert("c", "/after", 3_000), "agent-1"));
        assertThat(feed.poll(50)).isNull();
    }
}
