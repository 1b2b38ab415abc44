package dev.ward.agent.output;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Moves telemetry off the tracer thread. {@link #offer} never blocks: when the bounded queue is full the
 * event is dropped and counted, because a slow sink must never slow the workload. Drops are reported on
 * stderr as they happen (at most once a second) and in the final count.
 *
 * <p>Threading: any thread may offer; one exporter thread writes to the sinks.
 */
public final class Exporter implements AutoCloseable {
    /** Wakes the exporter thread at close, so the agent exits without waiting out a poll. */
    private static final Telemetry WAKE_UP = new Telemetry();
    private final ArrayBlockingQueue<Telemetry> queue;
    private volatile Sink[] sinks;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final PrintStream diagnostics;
    private final Thread thread;
    private volatile boolean closing;
    private long droppedReported;
    private long lastDropReport;

    public Exporter(int capacity, PrintStream diagnostics, Sink... sinks) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sinks = sinks.clone();
        this.diagnostics = diagnostics;
        this.thread = Thread.ofPlatform().name("ward-exporter").daemon(true).unstarted(this::loop);
        this.thread.start();
    }

    /**
     * Adds sinks that became known after the exporter was made (a plugin's): call it before the first
     * {@link #offer}, from the thread that made the exporter.
     */
    public void addSinks(java.util.List<Sink> more) {
        if (more.isEmpty()) {
            return;
        }
        Sink[] all = java.util.Arrays.copyOf(sinks, sinks.length + more.size());
        for (int i = 0; i < more.size(); i++) {
            all[sinks.length + i] = more.get(i);
        }
        sinks = all;
    }

    /** Queues {@code t}; returns false (and counts a drop) when the queue is full. */
    public boolean offer(Telemetry t) {
        if (queue.offer(t)) {
            return true;
        }
        dropped.increment();
        return false;
    }

    public long dropped() {
        return dropped.sum();
    }

    public long written() {
        return written.sum();
    }

    private void loop() {
        try {
            while (!closing || !queue.isEmpty()) {
                Telemetry t = queue.poll(100, TimeUnit.MILLISECONDS);
                if (t != null && t != WAKE_UP) {
                    for (Sink s : sinks) {
                        write(s, t);
                    }
                    written.increment();
                }
                if (queue.isEmpty()) {
                    for (Sink s : sinks) {
                        flush(s);
                    }
                    reportDrops(false);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reportDrops(boolean force) {
        long now = System.nanoTime();
        long d = dropped.sum();
        if (d > droppedReported && (force || now - lastDropReport > 1_000_000_000L)) {
            diagnostics.println("ward: telemetry queue full: dropped " + (d - droppedReported)
                    + " events (" + d + " in total); raise --queue-size or send fewer logs");
            droppedReported = d;
            lastDropReport = now;
        }
    }

    private void write(Sink s, Telemetry t) {
        try {
            s.write(t);
        } catch (IOException e) {
            diagnostics.println("ward: cannot write telemetry: " + e.getMessage());
        }
    }

    private void flush(Sink s) {
        try {
            s.flush();
        } catch (IOException e) {
            diagnostics.println("ward: cannot flush telemetry: " + e.getMessage());
        }
    }

    /** Writes what is queued (waiting at most {@code timeoutMillis}), then closes the sinks. */
    public void close(long timeoutMillis) {
        closing = true;
        queue.offer(WAKE_UP); // when the queue is full the thread is busy and sees closing soon
        try {
            thread.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reportDrops(true);
        for (Sink s : sinks) {
            try {
                s.close();
            } catch (IOException e) {
                diagnostics.println("ward: cannot close telemetry sink: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        close(5000);
    }
}
