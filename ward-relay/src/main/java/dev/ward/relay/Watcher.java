package dev.ward.relay;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client watching the event stream, with its own bounded queue drained by its own virtual thread. The
 * publisher only ever offers to the queue: a slow watcher fills its queue and loses events (counted, and
 * reported to it through {@link Output#dropped}); agents and the other watchers never wait for it.
 */
final class Watcher {
    /** Where a watcher's events go: a KubeArmor stream or Ward's Watch stream. */
    interface Output {
        /** Events in order; the list is reused after the call returns. */
        void send(List<RelayEvent> events);

        /** {@code count} events were lost since the last report, {@code total} over the watcher's life. */
        void dropped(long count, long total);
    }

    private final EventFilter filter;
    private final EventQueue queue;
    private final ServerCallStreamObserver<?> call;
    private final Output output;
    private final RelayMetrics metrics;
    /** Most events sent in one message (Ward's Watch batches; KubeArmor's streams send them one by one). */
    static final int MAX_BATCH = 256;

    private final AtomicLong dropped = new AtomicLong();
    private final List<RelayEvent> batch = new ArrayList<>(MAX_BATCH);
    private final List<RelayEvent> drained = new ArrayList<>(MAX_BATCH);
    private final Object ready = new Object();
    private volatile boolean closed;
    private long reported;
    private long sent;
    private final long limit;
    private long skipUpToNanos = Long.MIN_VALUE;

    Watcher(EventFilter filter, int capacity, ServerCallStreamObserver<?> call, Output output, RelayMetrics metrics,
            long limit) {
        this.filter = filter;
        this.queue = new EventQueue(capacity);
        this.call = call;
        this.output = output;
        this.metrics = metrics;
        this.limit = limit;
        call.setOnReadyHandler(this::wake);
    }

    /** Called by publishers (agent streams): never blocks. */
    void offer(RelayEvent e) {
        if (closed || !filter.matches(e)) {
            return;
        }
        if (!queue.offer(e)) {
            dropped.incrementAndGet();
            metrics.watcherDropped(1);
        }
    }

    /** A batch from one agent, under one lock acquisition (never blocks). */
    void offerAll(List<RelayEvent> events) {
        if (closed) {
            return;
        }
        int lost = queue.offerAll(events, filter);
        if (lost > 0) {
            dropped.addAndGet(lost);
            metrics.watcherDropped(lost);
        }
    }

    EventFilter filter() {
        return filter;
    }

    long droppedTotal() {
        return dropped.get();
    }

    void close() {
        closed = true;
        wake();
    }

    boolean isClosed() {
        return closed || call.isCancelled();
    }

    /** Live events at or before this time were already sent from the history: skip them. */
    void skipUpTo(long tsNanos) {
        skipUpToNanos = tsNanos;
    }

    /** Sends events from the history (on the drain thread, before the live loop). False at the limit. */
    boolean sendHistory(List<RelayEvent> events) throws InterruptedException {
        for (int i = 0; i < events.size(); i += MAX_BATCH) {
            batch.clear();
            batch.addAll(events.subList(i, Math.min(events.size(), i + MAX_BATCH)));
            if (!sendBatch()) {
                return false;
            }
        }
        return true;
    }

    /** The drain loop; returns when the call ended, the watcher was closed or the limit was reached. */
    void drain() throws InterruptedException {
        while (!isClosed()) {
            RelayEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
            long total = dropped.get();
            if (total > reported) {
                awaitReady();
                output.dropped(total - reported, total);
                reported = total;
            }
            if (first == null) {
                continue;
            }
            batch.clear();
            drained.clear();
            drained.add(first);
            queue.drainTo(drained, MAX_BATCH - 1);
            for (RelayEvent e : drained) {
                if (e.tsNanos() > skipUpToNanos) {
                    batch.add(e);
                }
            }
            if (!batch.isEmpty() && !sendBatch()) {
                return;
            }
        }
    }

    /** Sends {@code batch} (cut at the limit) once the client is ready; false when done (limit or closed). */
    private boolean sendBatch() throws InterruptedException {
        if (limit > 0 && sent + batch.size() > limit) {
            batch.subList((int) (limit - sent), batch.size()).clear();
        }
        awaitReady();
        if (isClosed()) {
            return false;
        }
        output.send(batch);
        metrics.sent(batch.size());
        sent += batch.size();
        return limit <= 0 || sent < limit;
    }

    /** gRPC buffers without bound when a client reads slowly: wait for its flow control instead. */
    private void awaitReady() throws InterruptedException {
        synchronized (ready) {
            while (!call.isReady() && !isClosed()) {
                ready.wait(200);
            }
        }
    }

    private void wake() {
        synchronized (ready) {
            ready.notifyAll();
        }
    }
}
