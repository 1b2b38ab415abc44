package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventQueueTest {
    private static RelayEvent event(String container, long ts) {
        return RelayEvent.of(TestRelay.alert(container, "/r" + ts, ts), "agent");
    }

    private static List<RelayEvent> events(String container, int from, int n) {
        List<RelayEvent> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(event(container, i));
        }
        return out;
    }

    @Test
    void keepsOrderAcrossTheRingsWrapAndCountsWhatDidNotFit() throws Exception {
        EventQueue q = new EventQueue(4);
        EventFilter all = EventFilter.parse("all", "", "");
        assertThat(q.offerAll(events("a", 0, 3), all)).isZero();
        List<RelayEvent> out = new ArrayList<>();
        assertThat(q.drainTo(out, 2)).isEqualTo(2); // head moves to 2: the next adds wrap around
        assertThat(q.offerAll(events("a", 3, 5), all)).isEqualTo(2); // room for 3 of 5
        assertThat(q.size()).isEqualTo(4);
        out.clear();
        RelayEvent first = q.poll(1, TimeUnit.SECONDS);
        q.drainTo(out, 10);
        assertThat(first.tsNanos()).isEqualTo(2);
        assertThat(out).extracting(RelayEvent::tsNanos).containsExactly(3L, 4L, 5L);
        assertThat(q.poll(10, TimeUnit.MILLISECONDS)).isNull();
        assertThat(q.offer(event("a", 9))).isTrue();
        assertThat(q.size()).isEqualTo(1);
    }

    @Test
    void takesOnlyWhatTheWatchersFilterMatchesAndDoesNotCountTheRestAsLost() {
        EventQueue q = new EventQueue(2);
        List<RelayEvent> mixed = new ArrayList<>(events("web", 0, 2));
        mixed.addAll(events("db", 2, 3));
        assertThat(q.offerAll(mixed, EventFilter.parse("all", "db", ""))).isEqualTo(1);
        List<RelayEvent> out = new ArrayList<>();
        q.drainTo(out, 10);
        assertThat(out).extracting(RelayEvent::containerName).containsExactly("db", "db");
    }

    @Test
    void aWaitingPollWakesWhenABatchArrives() throws Exception {
        EventQueue q = new EventQueue(8);
        RelayEvent[] got = new RelayEvent[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                got[0] = q.poll(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(50);
        q.offerAll(events("a", 7, 1), EventFilter.parse("all", "", ""));
        t.join(5_000);
        assertThat(got[0]).isNotNull();
        assertThat(got[0].tsNanos()).isEqualTo(7);
    }
}
