package dev.ward.capture;

import dev.ward.bindings.Ptrace;
import dev.ward.bindings.ThreadUsage;

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
 *
 * <p>Polling ({@link TracerSettings#spinNanos}) catches a stop that comes soon without the wake-up of a sleeping
 * tracer, and costs the agent CPU. Every {@value #WINDOW} stops the tracer looks at what it cost and paid: when
 * fewer than a quarter of its polls caught a stop (stops too far apart), or when it was preempted at more than one
 * stop in four (its CPU was wanted: polling then delays the workload's own threads), it waits without polling for
 * {@value #PAUSE} windows of stops, then tries again for one.
 */
final class NextStop {
    /** What every wait asks for: every tracee (threads included), the tracer thread's own only. */
    static final int WAIT = Ptrace.WALL | Ptrace.WNOTHREAD;
    /** Stops between two looks at what polling cost and paid. */
    static final int WINDOW = 256;
    /** Windows of stops without polling after one where it did not pay or took a wanted CPU. */
    static final int PAUSE = 16;

    private final long spinNanos;
    private final ThreadUsage usage;
    private int stops;
    private int polls;
    private int caught;
    private long preemptedBefore;
    private int pausedWindows;
    private boolean started;
    /** For diagnostics: windows after which polling was paused (preempted, or too few polls caught a stop). */
    private int preemptedPauses;
    private int uselessPauses;
    private int windows;
    private int pausedWindowsSeen;

    /** {@code spinNanos}: how long to poll after a stop, 0 for never; made on the tracer thread. */
    NextStop(long spinNanos) {
        this.spinNanos = spinNanos;
        this.usage = spinNanos > 0 ? new ThreadUsage() : null;
    }

    /** This agent's: {@link TracerSettings#SPIN_ENV} and the CPUs the JVM sees (a cgroup's quota counted). */
    static NextStop fromEnvironment() {
        return new NextStop(TracerSettings.spinNanos(System.getenv(TracerSettings.SPIN_ENV),
                Runtime.getRuntime().availableProcessors()));
    }

    /** The tid of the next stop or exit (its status in {@code ptrace}), or -errno; {@code lastStop}: System.nanoTime. */
    int await(Ptrace ptrace, long lastStop) {
        if (spinNanos > 0) {
            if (!started) {
                started = true;
                preemptedBefore = usage.involuntarySwitches(); // the tracer thread's own, from its first wait
            }
            if (++stops == WINDOW) {
                review();
            }
            if (pausedWindows == 0) {
                polls++;
                while (System.nanoTime() - lastStop < spinNanos) {
                    int tid = ptrace.waitpid(-1, WAIT | Ptrace.WNOHANG);
                    if (tid != 0) {
                        caught++;
                        return tid;
                    }
                    Thread.onSpinWait();
                }
            }
        }
        return ptrace.waitpid(-1, WAIT);
    }

    /** How the tracer waits: for diagnostics ({@code WARD_DEBUG_STOPS}). */
    String summary() {
        return spinNanos == 0 ? "off" : "polls " + spinNanos / 1_000 + " us (" + (preemptedPauses + uselessPauses)
                + " pauses: " + preemptedPauses + " preempted, " + uselessPauses + " too few caught; "
                + pausedWindowsSeen + " of " + windows + " windows paused; now "
                + (pausedWindows == 0 ? "polling" : "paused") + ")";
    }

    private void review() {
        stops = 0;
        windows++;
        if (pausedWindows > 0) {
            pausedWindowsSeen++;
            if (--pausedWindows == 0) {
                preemptedBefore = usage.involuntarySwitches(); // a new trial: its window is judged alone
            }
            return;
        }
        long preempted = usage.involuntarySwitches();
        boolean contended = preempted < 0 || (preempted - preemptedBefore) * 4 > WINDOW;
        boolean useless = caught * 4 < polls;
        preemptedBefore = preempted;
        polls = 0;
        caught = 0;
        if (contended || useless) {
            pausedWindows = PAUSE;
            if (contended) {
                preemptedPauses++;
            } else {
                uselessPauses++;
            }
        }
    }
}
