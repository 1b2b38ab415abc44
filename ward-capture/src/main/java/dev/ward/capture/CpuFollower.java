package dev.ward.capture;

import dev.ward.bindings.Affinity;

/**
 * Keeps the tracer thread on the CPU of the thread that makes most of its stops, so that a stop and its answer
 * hand over on one CPU instead of waking each other across CPUs (an inter-processor interrupt each way, and the
 * tracer's wait for a CPU: docs/benchmarks.md, "Where nginx's per-request gap to the reference tracer goes").
 *
 * <p>How: stops are counted per thread over windows of {@link #WINDOW} stops. At a window's end, when one thread
 * made at least {@link #DOMINANT} of them, the tracer reads which CPU that thread last ran on (/proc/TID/stat,
 * kept open) and confines itself to it if it is elsewhere. It goes back to its original CPU set (the process's
 * affinity at start: cgroup cpusets and taskset are kept) when no thread dominates, when the stops come slower
 * than one per millisecond on average ({@link #SLOW_NANOS} a window: too few for the wake-ups to matter, too
 * stale to follow), and for {@link #BACKOFF} windows when the busiest thread keeps changing CPU (ping-pong:
 * {@link #MAX_MOVES} moves more than stays). With one CPU allowed it does nothing.
 *
 * <p>Threading: the tracer thread only, which it pins; created on it. Cost: a counter per stop, one pread of a
 * stat file and at most one sched_setaffinity per window. No allocation.
 */
final class CpuFollower {
    static final int WINDOW = 256;
    static final int DOMINANT = WINDOW * 15 / 16;
    static final long SLOW_NANOS = 1_000_000L * WINDOW;
    static final int MAX_MOVES = 4;
    static final int BACKOFF = 32;

    private final Affinity affinity; // null: following is off
    private final long slowNanos;
    private int window = 1;
    private int seen;
    private long windowStart = System.nanoTime();
    private Task busiest;
    private int busiestStops;
    private int pinned = -1;
    private int moves;
    private int backoff;
    private int pins;
    private int stays;
    private int spread;
    private int slowWindows;
    private int pingPongs;

    /** {@code slowNanos}: a window that lasts longer releases the tracer ({@link #SLOW_NANOS} but in tests). */
    CpuFollower(boolean follow, long slowNanos) {
        Affinity a = follow ? new Affinity() : null;
        this.affinity = a != null && a.cpus() > 1 ? a : null;
        this.slowNanos = slowNanos;
    }

    /** Counts a stop of {@code t}; at a window's end, moves the tracer thread if it should. */
    void stopped(Task t) {
        if (affinity == null) {
            return;
        }
        if (t.followWindow != window) {
            t.followWindow = window;
            t.followStops = 0;
        }
        if (++t.followStops > busiestStops) {
            busiestStops = t.followStops;
            busiest = t;
        }
        if (++seen == WINDOW) {
            endWindow();
        }
    }

    /** The CPU the tracer is confined to, or -1 (all of its original set). */
    int pinned() {
        return pinned;
    }

    /** For diagnostics: how often the tracer moved to a CPU and went back to its whole set. */
    String summary() {
        return affinity == null ? "off" : "follow (" + pins + " moves, " + stays + " windows stayed; "
                + spread + " without a dominant thread, " + slowWindows + " slow, " + pingPongs
                + " ping-pongs; now on " + (pinned < 0 ? "any CPU" : "CPU " + pinned) + ")";
    }

    private void endWindow() {
        long now = System.nanoTime();
        boolean slow = now - windowStart > slowNanos;
        Task top = busiestStops >= DOMINANT ? busiest : null;
        window++;
        seen = 0;
        windowStart = now;
        busiest = null;
        busiestStops = 0;
        if (backoff > 0) {
            backoff--;
            release();
            return;
        }
        if (top == null || slow) {
            if (top == null) {
                spread++;
            } else {
                slowWindows++;
            }
            moves = 0;
            release();
            return;
        }
        int cpu = affinity.processor(top.tid);
        if (cpu < 0 || !affinity.allows(cpu)) {
            moves = 0;
            release();
            return;
        }
        if (cpu == pinned) {
            stays++;
            moves = Math.max(0, moves - 1);
            return;
        }
        if (pinned >= 0 && ++moves >= MAX_MOVES) {
            moves = 0;
            pingPongs++;
            backoff = BACKOFF;
            release();
            return;
        }
        if (affinity.pin(cpu) == 0) {
            pinned = cpu;
            pins++;
        }
    }

    private void release() {
        if (pinned >= 0 && affinity.restore() == 0) {
            pinned = -1;
        }
    }
}
