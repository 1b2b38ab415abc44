package dev.ward.relay;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fan-out of live events to watchers. Publishing walks the watcher list and offers to each bounded queue;
 * watchers come and go rarely, so a copy-on-write list keeps the publish path lock-free.
 */
final class Hub {
    private final CopyOnWriteArrayList<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<ConsoleFeed> feeds = new CopyOnWriteArrayList<>();
    private final RelayMetrics metrics;

    Hub(RelayMetrics metrics) {
        this.metrics = metrics;
    }

    void publish(RelayEvent e) {
        for (Watcher w : watchers) {
            w.offer(e);
        }
        for (ConsoleFeed f : feeds) {
            f.offer(e);
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
        for (ConsoleFeed f : feeds) {
            f.offerAll(events);
        }
    }

    /** The web console's live streams: fed like watchers, never waited for. */
    void add(ConsoleFeed f) {
        feeds.add(f);
    }

    void remove(ConsoleFeed f) {
        feeds.remove(f);
    }

    void add(Watcher w) {
        watchers.add(w);
        metrics.watchers(watchers.size());
    }

    void remove(Watcher w) {
        watchers.remove(w);
        metrics.watchers(watchers.size());
    }

    /** Watchers (gRPC streams; see {@link #listening} for anyone at all). */
    int size() {
        return watchers.size();
    }

    /** Whether anyone (a watcher or a console stream) takes live events: else they need not be built. */
    boolean listening() {
        return !watchers.isEmpty() || !feeds.isEmpty();
    }
}
