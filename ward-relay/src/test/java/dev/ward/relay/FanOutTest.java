package dev.ward.relay;

import static dev.ward.relay.TestRelay.alert;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.relay.api.RelayAdminGrpc;
import dev.ward.relay.api.WatchBatch;
import dev.ward.relay.api.WatchEvent;
import dev.ward.relay.api.WatchRequest;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A watcher that does not read loses events (and is told); the agent and the other watchers do not notice. */
class FanOutTest {
    static final int QUEUE = 256;
    static final int EVENTS = 3000;

    @TempDir
    Path dir;

    @Test
    void aSlowWatcherLosesEventsCountedAndReportedWhileTheOthersGetEverything() throws Exception {
        var settings = new RelayServer.Settings(TestRelay.AGENT_TOKEN, TestRelay.ADMIN_TOKEN, null, QUEUE,
                Duration.ZERO, Duration.ofSeconds(2));
        try (TestRelay relay = new TestRelay(dir.resolve("r.db"), settings)) {
            // The slow watcher asks for one message and then reads nothing until the end.
            LinkedBlockingQueue<WatchEvent> slowGot = new LinkedBlockingQueue<>();
            ClientCall<WatchRequest, WatchBatch> slow = relay.channel.newCall(RelayAdminGrpc.getWatchMethod(),
                    io.grpc.CallOptions.DEFAULT);
            slow.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(WatchBatch message) {
                    slowGot.addAll(message.getEventsList());
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                }
            }, new Metadata());
            slow.sendMessage(WatchRequest.newBuilder().setFilter("all").setFollow(true).build());
            slow.halfClose();
            slow.request(1);

            Iterator<WatchBatch> fast = RelayAdminGrpc.newBlockingStub(relay.channel)
                    .watch(WatchRequest.newBuilder().setFilter("all").setFollow(true).setLimit(EVENTS).build());
            TestRelay.await("two watchers", () -> relay.server.watcherCount() == 2);

            var agent = relay.agent("web", Map.of());
            agent.nextBundle();
            AtomicInteger fastCount = new AtomicInteger();
            Thread reader = Thread.ofPlatform().start(() -> {
                while (fast.hasNext()) {
                    for (WatchEvent e : fast.next().getEventsList()) {
                        assertThat(e.hasDropped()).as("the fast watcher never loses events").isFalse();
                        fastCount.incrementAndGet();
                    }
                }
            });
            // Publish in steps the fast watcher keeps up with (its queue never overflows), far more in total
            // than the slow watcher's queue holds.
            int sent = 0;
            long seq = 0;
            while (sent < EVENTS) {
                List<dev.ward.relay.api.Event> batch = new java.util.ArrayList<>();
                for (int i = 0; i < 100; i++, sent++) {
                    batch.add(alert("web", "/f" + sent, 1_000_000_000L + sent));
                }
                agent.send(++seq, batch.toArray(dev.ward.relay.api.Event[]::new));
                int target = sent;
                TestRelay.await("the fast watcher at " + target, () -> fastCount.get() >= target);
                assertThat(agent.nextAck()).as("the agent is acknowledged while a watcher is stuck").isEqualTo(seq);
            }
            reader.join(30_000);
            assertThat(fastCount.get()).isEqualTo(EVENTS);

            // Now the slow watcher reads: it gets at most its queue, what HTTP/2 flow control let through before
            // the call stopped being ready (a few batches of small events: seen up to 2,444 - 2,487 = 43 events
            // beyond one batch on a loaded machine), and a report. Far fewer than were published.
            slow.request(Integer.MAX_VALUE);
            // Every event is either delivered or counted in the (cumulative) drop reports.
            TestRelay.await("every event delivered or reported", () -> delivered(slowGot) + reportedTotal(slowGot)
                    == EVENTS);
            long dropped = reportedTotal(slowGot);
            assertThat(dropped).isGreaterThanOrEqualTo(EVENTS - QUEUE - 4L * Watcher.MAX_BATCH);
            assertThat(droppedCounter(relay, "watcher")).isEqualTo(dropped);
            slow.cancel("done", null);
        }
    }

    private static long delivered(LinkedBlockingQueue<WatchEvent> got) {
        return got.stream().filter(e -> !e.hasDropped()).count();
    }

    private static long reportedTotal(LinkedBlockingQueue<WatchEvent> got) {
        return got.stream().filter(WatchEvent::hasDropped).mapToLong(e -> e.getDropped().getTotal()).max().orElse(0);
    }

    static double droppedCounter(TestRelay relay, String where) {
        for (var s : relay.server.metricsRegistry().scrape()) {
            if (s instanceof CounterSnapshot c && c.getMetadata().getName().equals("ward_relay_events_dropped")) {
                return c.getDataPoints().stream().filter(d -> d.getLabels().get("where").equals(where))
                        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
            }
        }
        return 0;
    }
}
