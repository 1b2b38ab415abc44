package dev.ward.agent.output;

import dev.ward.api.telemetry.Sink;
import dev.ward.api.telemetry.Telemetry;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.LockSupport;

/**
 * Moves telemetry off the tracer thread. {@link #offer} never blocks: when the bounded queue is full the
 * event is dropped and counted, because a slow sink must never slow the workload. Drops are reported on
 * stderr as they happen (at most once a second) and in the final count.
 *
 * <p>Threading: any thread may offer; one exporter thread writes to the sinks. While events come, the exporter
 * thread never waits on the queue: it drains it in batches and, when it finds it empty, sleeps
 * {@value #IDLE_MILLIS} ms. So an offer never has to wake it: waking a sleeping thread is a futex call on the
 * tracer's thread, the one that holds a stopped workload thread, and costs tens of microseconds on virtual
 * machines (a fork-heavy script paid about 150 µs per command for it). An event waits at most that long before
 * it is written. After {@value #NAPS_BEFORE_SLEEP} empty looks in a row (a second with nothing to write) it sleeps
 * until woken, so that an idle task's agent does not wake 100 times a second; the first offer after that wakes it
 * (one futex call per idle spell).
 *
 * <p>{@link #close} writes what is left on the closing thread itself, under the lock the exporter thread holds
 * while it drains and writes: the agent's exit then waits for no other thread to be scheduled, unless a batch is
 * being written at that moment.
 */
public final class Exporter implements AutoCloseable {
    /** How long the exporter thread sleeps when it found nothing to write. */
    static final long IDLE_MILLIS = 10;
    /** Empty looks in a row after which the exporter thread sleeps until an offer wakes it. */
    static final int NAPS_BEFORE_SLEEP = 100;
    private static final int BATCH = 1024;
    private final ArrayBlockingQueue<Telemetry> queue;
    private volatile Sink[] sinks;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final PrintStream diagnostics;
    private final UserNames userNames = new UserNames(java.nio.file.Path.of("/etc/passwd"));
    private final Thread thread;
    /** Held while the queue is drained and the sinks written to (or flushed, or closed). */
    private final ReentrantLock writing = new ReentrantLock();
    private boolean closed; // under writing
    private long droppedReported; // under writing, as is lastDropReport
    private long lastDropReport;
    /** The exporter thread sleeps until woken (or is about to): the next offer unparks it. */
    private volatile boolean asleep;

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
            if (asleep) { // read after the offer: the exporter sets it before its last look at the queue
                asleep = false;
                LockSupport.unpark(thread);
            }
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
        int naps = 0;
        while (true) {
            boolean idle;
            writing.lock();
            try {
                if (closed) {
                    return;
                }
                idle = !writeBatch(batch);
                if (!idle) {
                    unflushed = true;
                } else if (unflushed) {
                    flushAll();
                    unflushed = false;
                }
                if (idle) {
                    reportDrops(false);
                }
            } finally {
                writing.unlock();
            }
            if (!idle) {
                naps = 0;
            } else if (++naps < NAPS_BEFORE_SLEEP) {
                LockSupport.parkNanos(IDLE_MILLIS * 1_000_000L);
            } else {
                asleep = true;
                if (queue.isEmpty()) {
                    LockSupport.park(this); // close() unparks it too
                }
                asleep = false;
                naps = 0;
            }
        }
    }

    /** Drains up to a batch into {@code batch} and writes it; false when the queue was empty. Under writing. */
    private boolean writeBatch(List<Telemetry> batch) {
        batch.clear();
        queue.drainTo(batch, BATCH);
        if (batch.isEmpty()) {
            return false;
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
        return true;
    }

    private void flushAll() {
        for (Sink s : sinks) {
            flush(s);
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

    /**
     * Writes what is queued, then closes the sinks; waits at most {@code timeoutMillis} for a batch the exporter
     * thread is writing (a stuck sink), after which the sinks are closed anyway.
     */
    public void close(long timeoutMillis) {
        boolean locked = false;
        try {
            locked = writing.tryLock(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (locked) {
                closed = true;
                List<Telemetry> batch = new ArrayList<>();
                while (writeBatch(batch)) {
                    // until the queue is empty
                }
                flushAll();
            }
            reportDrops(true);
            for (Sink s : sinks) {
                try {
                    s.close();
                } catch (IOException e) {
                    diagnostics.println("ward: cannot close telemetry sink: " + e.getMessage());
                }
            }
        } finally {
            if (locked) {
                writing.unlock();
            }
        }
        LockSupport.unpark(thread); // it sees closed and ends
    }

    /** The exporter thread, for tests that watch it sleep. */
    Thread thread() {
        return thread;
    }

    @Override
    public void close() {
        close(5000);
    }
}
