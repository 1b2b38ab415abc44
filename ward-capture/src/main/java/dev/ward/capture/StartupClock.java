package dev.ward.capture;

/**
 * Phase timings of the agent's start and exit, printed to stderr when WARD_DEBUG_STARTUP is set: how long from
 * main() to each step up to the workload's exec, and from the workload's exit to the agent's. For tuning launch
 * latency; silent otherwise. Any thread may mark: each mark keeps its thread's name.
 *
 * <p>Marks are only recorded on the way; the workload's execve (the last mark of the start, {@link #LAST})
 * prints the start's, so the printing (a PrintStream's first use costs milliseconds) is not part of what is
 * measured, and {@link #printExit} the exit's, just before the agent halts. Each mark also keeps the CPU time
 * the marking thread used so far (its /proc/thread-self/schedstat), which tells work from waiting when the
 * machine is busy. The first line gives the origin on the System.nanoTime clock (CLOCK_MONOTONIC), which a
 * workload's own clock readings can be compared with.
 */
public final class StartupClock {
    public static final String LAST = "workload execve";
    private static final long START = System.nanoTime();
    private static final boolean ON = System.getenv("WARD_DEBUG_STARTUP") != null;
    private static final int MARKS = 48;
    private static final String[] PHASES = new String[MARKS];
    private static final String[] THREADS = new String[MARKS];
    private static final long[] TIMES = new long[MARKS];
    private static final long[] CPU = new long[MARKS];
    private static int count;
    private static int printed;

    private StartupClock() {
    }

    /** Records that the calling thread reached {@code phase}; after {@link #LAST}, prints the start's marks. */
    public static void mark(String phase) {
        if (!ON) {
            return;
        }
        record(phase);
        if (phase.equals(LAST)) {
            print("ward: startup origin (System.nanoTime) " + START + " ns\n");
        }
    }

    /** Prints the marks recorded since the start's were printed (the exit's): call it right before the exit. */
    public static void printExit() {
        if (ON) {
            print("");
        }
    }

    private static synchronized void record(String phase) {
        if (count < MARKS) {
            PHASES[count] = phase;
            THREADS[count] = Thread.currentThread().getName();
            CPU[count] = threadCpu();
            TIMES[count++] = System.nanoTime();
        }
    }

    private static synchronized void print(String head) {
        StringBuilder out = new StringBuilder(head);
        for (int i = printed; i < count; i++) {
            long tenths = (TIMES[i] - START) / 100_000;
            String what = PHASES[i] + " [" + THREADS[i] + "]";
            out.append("ward: startup ").append(what).append(" ".repeat(Math.max(1, 44 - what.length())))
                    .append(tenths / 10).append('.').append(tenths % 10).append(" ms, thread CPU ")
                    .append(CPU[i] / 1_000_000).append('.').append(CPU[i] / 100_000 % 10).append(" ms\n");
        }
        printed = count;
        System.err.print(out);
        System.err.flush();
    }

    /** The calling thread's CPU time in nanoseconds so far, or -1 when /proc cannot say. */
    private static long threadCpu() {
        try (java.io.FileInputStream in = new java.io.FileInputStream("/proc/thread-self/schedstat")) {
            byte[] b = in.readNBytes(64);
            long v = 0;
            for (int i = 0; i < b.length && b[i] >= '0' && b[i] <= '9'; i++) {
                v = v * 10 + b[i] - '0';
            }
            return v;
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
