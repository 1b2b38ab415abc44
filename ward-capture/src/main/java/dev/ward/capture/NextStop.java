package dev.ward.capture;

import dev.ward.bindings.Ptrace;

/** How the tracer waits for the next stop: polled for a while after the last one, then waited for. Tracer thread. */
final class NextStop {
    /**
     * How long the tracer keeps polling (waitpid WNOHANG) for the next stop after answering one, before it
     * sleeps in waitpid: see {@link TracerSettings#spinNanos}.
     */
    static final long SPIN_NANOS = TracerSettings.spinNanos(System.getenv(TracerSettings.SPIN_ENV),
            Runtime.getRuntime().availableProcessors());

    private NextStop() {
    }

    /** The tid of the next stop or exit (its status in {@code ptrace}), or -errno; {@code lastStop}: System.nanoTime. */
    static int await(Ptrace ptrace, long lastStop) {
        if (SPIN_NANOS > 0) {
            while (System.nanoTime() - lastStop < SPIN_NANOS) {
                int tid = ptrace.waitpid(-1, Ptrace.WALL | Ptrace.WNOHANG);
                if (tid != 0) {
                    return tid;
                }
                Thread.onSpinWait();
            }
        }
        return ptrace.waitpid(-1, Ptrace.WALL);
    }
}
