package dev.ward.relay;

import dev.ward.relay.api.Event;
import dev.ward.relay.store.StoredEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One live alert stream of the web console: a bounded {@link EventQueue} the {@link Hub} offers alerts to, as it
 * offers events to watchers. Publishers never wait: when the browser reads too slowly the queue fills and new
 * alerts are lost for this stream only, and counted.
 */
final class ConsoleFeed implements ConsoleHost.LiveAlerts {
    private static final EventFilter ALERTS = new EventFilter(true, false, "", "");

    private final EventQueue queue;
    private final AtomicLong dropped = new AtomicLong();
    private final Hub hub;
    private final RelayMetrics metrics;

    ConsoleFeed(int capacity, Hub hub, RelayMetrics metrics) {
        this.queue = new EventQueue(capacity);
        this.hub = hub;
        this.metrics = metrics;
    }

    void offer(RelayEvent e) {
        if (e.isAlert() && !queue.offer(e)) {
            dropped.incrementAndGet();
            metrics.watcherDropped(1);
        }
    }

    void offerAll(List<RelayEvent> events) {
        int lost = queue.offerAll(events, ALERTS);
        if (lost > 0) {
            dropped.addAndGet(lost);
            metrics.watcherDropped(lost);
        }
    }

    @Override
    public StoredEvent poll(long timeoutMillis) throws InterruptedException {
        RelayEvent e = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (e == null) {
            return null;
        }
        Event event = Event.newBuilder().setAlert(e.alert()).setTimestampNanos(e.tsNanos())
                .setTid(e.watchEvent().getTid()).setCwd(e.watchEvent().getCwd()).build();
        return new StoredEvent(e.tsNanos(), event, e.agentId());
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        hub.remove(this);
    }
}
