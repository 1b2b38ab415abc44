package dev.ward.relay;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fan-out of live events to watchers. Publishing walks the watcher list and offers to each bounded queue;
 * watchers come and go rarely, so a copy-on-write list keeps the publish path lock-free.
 */
final class Hub {
    private final CopyOnWriteArrayList<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final RelayMetrics metrics;

    Hub(RelayMetrics metrics) {
        this.metrics = metrics;
    }

    void publish(RelayEvent e) {
        for (Watcher w : watchers) {
            w.offer(e);
        }
    }

    /** One agent batch: each watcher takes it under one lock, not one per event. */
    void publishAll(List<RelayEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        for (Watcher w : watchers) {
            w.offerAll(events);
        }
    }

    void add(Watcher w) {
        watchers.add(w);
        metrics.watchers(watchers.size());
    }

    void remove(Watcher w) {
        watchers.remove(w);
        metrics.watchers(watchers.size());
    }

    int size() {
        return watchers.size();
    }
}
