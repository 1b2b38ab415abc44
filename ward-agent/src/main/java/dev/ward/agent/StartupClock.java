package dev.ward.agent;

/**
 * Phase timings of the agent's start, printed to stderr when WARD_DEBUG_STARTUP is set: how long from
 * main() to each step up to the workload's exec. For tuning launch latency; silent otherwise.
 */
final class StartupClock {
    private static final long START = System.nanoTime();
    private static final boolean ON = System.getenv("WARD_DEBUG_STARTUP") != null;

    private StartupClock() {
    }

    static void mark(String phase) {
        if (ON) {
            System.err.printf("ward: startup %-28s %7.1f ms%n", phase, (System.nanoTime() - START) / 1e6);
        }
    }
}
