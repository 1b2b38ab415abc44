package dev.ward.agent;

/**
 * Phase timings of the agent's start, printed to stderr when WARD_DEBUG_STARTUP is set: how long from
 * main() to each step up to the workload's exec. For tuning launch latency; silent otherwise.
 *
 * <p>Marks are only recorded on the way; the workload's execve (the last mark) prints them all, so the
 * printing (a PrintStream's first use costs milliseconds) is not part of what is measured.
 */
final class StartupClock {
    private static final long START = System.nanoTime();
    private static final boolean ON = System.getenv("WARD_DEBUG_STARTUP") != null;
    static final String LAST = "workload execve";
    private static final String[] PHASES = new String[16];
    private static final long[] TIMES = new long[16];
    private static int count;

    private StartupClock() {
    }

    static synchronized void mark(String phase) {
        if (!ON || count < 0) {
            return;
        }
        if (count < PHASES.length) {
            PHASES[count] = phase;
            TIMES[count++] = System.nanoTime();
        }
        if (phase.equals(LAST)) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < count; i++) {
                long tenths = (TIMES[i] - START) / 100_000;
                out.append("ward: startup ").append(PHASES[i]).append(" ".repeat(Math.max(1, 28 - PHASES[i].length())))
                        .append(tenths / 10).append('.').append(tenths % 10).append(" ms\n");
            }
            System.err.print(out);
            count = -1;
        }
    }
}
