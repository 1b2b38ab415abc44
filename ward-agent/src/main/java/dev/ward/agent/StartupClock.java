package dev.ward.agent;

/**
 * Phase timings of the agent's start, printed to stderr when WARD_DEBUG_STARTUP is set: how long from
 * main() to each step up to the workload's exec. For tuning launch latency; silent otherwise.
 *
 * <p>Marks are only recorded on the way; the workload's execve (the last mark) prints them all, so the
 * printing (a PrintStream's first use costs milliseconds) is not part of what is measured. Each mark also
 * keeps the CPU time the marking thread used so far (its /proc/thread-self/schedstat), which tells work
 * from waiting when the machine is busy.
 */
final class StartupClock {
    private static final long START = System.nanoTime();
    private static final boolean ON = System.getenv("WARD_DEBUG_STARTUP") != null;
    static final String LAST = "workload execve";
    private static final String[] PHASES = new String[24];
    private static final long[] TIMES = new long[24];
    private static final long[] CPU = new long[24];
    private static int count;

    private StartupClock() {
    }

    static synchronized void mark(String phase) {
        if (!ON || count < 0) {
            return;
        }
        if (count < PHASES.length) {
            PHASES[count] = phase;
            CPU[count] = threadCpu();
            TIMES[count++] = System.nanoTime();
        }
        if (phase.equals(LAST)) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < count; i++) {
                long tenths = (TIMES[i] - START) / 100_000;
                out.append("ward: startup ").append(PHASES[i]).append(" ".repeat(Math.max(1, 28 - PHASES[i].length())))
                        .append(tenths / 10).append('.').append(tenths % 10).append(" ms, thread CPU ")
                        .append(CPU[i] / 1_000_000).append('.').append(CPU[i] / 100_000 % 10).append(" ms\n");
            }
            System.err.print(out);
            count = -1;
        }
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
