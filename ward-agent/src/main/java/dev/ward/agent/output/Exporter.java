package dev.ward.agent.output;

import dev.ward.api.telemetry.Sink;
import dev.ward.api.telemetry.Telemetry;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Moves telemetry off the tracer thread. {@link #offer} never blocks: when the bounded queue is full the
 * event is dropped and counted, because a slow sink must never slow the workload. Drops are reported on
 * stderr as they happen (at most once a second) and in the final count.
 *
 * <p>Threading: any thread may offer; one exporter thread writes to the sinks. The exporter thread never
 * waits on the queue: it drains it in batches and, when it finds it empty, sleeps {@value #IDLE_MILLIS} ms.
 * So an offer never has to wake it: waking a sleeping thread is a futex call on the tracer's thread, the one
 * that holds a stopped workload thread, and costs tens of microseconds on virtual machines (a fork-heavy
 * script paid about 150 µs per command for it). An event waits at most that long before it is written.
 */
public final class Exporter implements AutoCloseable {
    /** How long the exporter thread sleeps when it found nothing to write. */
    static final long IDLE_MILLIS = 10;
    private static final int BATCH = 1024;
    private final ArrayBlockingQueue<Telemetry> queue;
    private volatile Sink[] sinks;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final PrintStream diagnostics;
    private final UserNames userNames = new UserNames(java.nio.file.Path.of("/etc/passwd"));
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
    public void addSinks(List<Sink> more) {
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
        List<Telemetry> batch = new ArrayList<>(BATCH);
        boolean unflushed = false;
        while (true) {
            batch.clear();
            queue.drainTo(batch, BATCH);
            if (batch.isEmpty()) {
                if (unflushed) {
                    for (Sink s : sinks) {
                        flush(s);
                    }
                    unflushed = false;
                }
                reportDrops(false);
                if (closing && queue.isEmpty()) {
                    return;
                }
                LockSupport.parkNanos(IDLE_MILLIS * 1_000_000L);
                continue;
            }
            Sink[] current = sinks;
            for (Telemetry t : batch) {
                if (t.userName == null) {
                    t.userName = userNames.name(t.uid); // here, not on the tracer thread: it may read a file
                }
                for (Sink s : current) {
                    write(s, t);
                }
                written.increment();
            }
            unflushed = true;
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
        LockSupport.unpark(thread);
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
