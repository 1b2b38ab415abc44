package dev.ward.capture;

import dev.ward.bindings.Ptrace;

/**
 * How the tracer waits for the next stop: polled for a while after the last one, then waited for. Tracer thread.
 *
 * <p>Only for the tracer thread's own tracees and children (__WNOTHREAD): without it, each wait4 also walks the
 * children and tracee lists of every other thread of the JVM, before it sleeps and again once woken, which cost
 * about 1.5 to 2 µs of the tracer's CPU per stop with 40 threads (docs/benchmarks.md, "Mesh: the captured connect
 * next to its floor"). Nothing is missed: every process of the workload is the tracer's tracee from its first
 * instruction to its reaping (its descendants are traced from their fork, CLONE_UNTRACED is refused, nothing is
 * detached), orphans included, and a tracee whose real parent is another thread of the JVM (the spawner) is reaped
 * by the tracer's wait in full.
 */
final class NextStop {
    /** What every wait asks for: every tracee (threads included), the tracer thread's own only. */
    static final int WAIT = Ptrace.WALL | Ptrace.WNOTHREAD;
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
                int tid = ptrace.waitpid(-1, WAIT | Ptrace.WNOHANG);
                if (tid != 0) {
                    return tid;
                }
                Thread.onSpinWait();
            }
        }
        return ptrace.waitpid(-1, WAIT);
    }
}
