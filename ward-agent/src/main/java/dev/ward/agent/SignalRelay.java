package dev.ward.agent;

import dev.ward.bindings.Signals;

/**
 * Forwards the signals an init must pass on (HUP, INT, QUIT, USR1, USR2, TERM, WINCH) to the workload's
 * main process, as tini does.
 *
 * <p>How the JVM is made to let go of them: the agent runs with {@code -Xrs} and with these signals
 * blocked in its initial thread (the launcher starts it so, or {@link SignalMask} re-executes it so);
 * every JVM thread inherits the mask, so they stay pending for the process and a signalfd reads them.
 * Signals a terminal sends to the whole foreground process group (si_code SI_KERNEL) already reached
 * the workload, which shares the agent's group, and are not sent twice.
 *
 * <p>SIGUSR2 is HotSpot's thread suspend/resume signal by default, which it unblocks in every thread;
 * the agent's JVM is started with {@code _JAVA_SR_SIGNUM=40} (a real-time signal nobody sends to an
 * init) so that SIGUSR2 stays blocked and reaches the signalfd like the others. Ward marks that it set
 * the variable ({@code WARD_SR_SIGNUM}) and removes both from the workload's environment.
 */
final class SignalRelay {
    static final int[] FORWARDED = {Signals.SIGHUP, Signals.SIGINT, Signals.SIGQUIT, Signals.SIGUSR1,
        Signals.SIGUSR2, Signals.SIGTERM, Signals.SIGWINCH};
    /** HotSpot's thread suspend/resume signal, moved off SIGUSR2 (see the class comment). */
    static final String SR_SIGNUM = "40";

    private final Signals.SignalReader reader;
    private volatile int target;
    private final int termAs;
    private int held;
    private final Thread thread;

    private SignalRelay(int fd, int termAs) {
        this.reader = new Signals.SignalReader(fd);
        this.termAs = termAs;
        this.thread = Thread.ofPlatform().name("ward-signals").daemon(true).unstarted(this::loop);
    }

    /**
     * Starts reading the forwarded signals; they are held until {@link #forwardTo} names the target. SIGTERM is
     * forwarded as {@code termAs}: the image's STOPSIGNAL, which the runtime no longer sends once the agent is the
     * entrypoint of an image that could not keep it (see {@code ward image embed}); SIGTERM itself otherwise.
     */
    static SignalRelay start(int termAs) {
        SignalRelay relay = new SignalRelay(Signals.signalFd(FORWARDED), termAs);
        relay.thread.start();
        return relay;
    }

    synchronized void forwardTo(int pid) {
        target = pid;
        if (held != 0) {
            Signals.kill(pid, held);
            held = 0;
        }
    }

    private void loop() {
        while (true) {
            int sig = reader.read();
            if (sig <= 0) {
                continue;
            }
            if (reader.code() == Signals.SI_KERNEL && reader.senderPid() == 0) {
                continue; // from the terminal to our whole process group: the workload has it already
            }
            deliver(sig);
        }
    }

    private synchronized void deliver(int received) {
        int sig = received == Signals.SIGTERM ? termAs : received;
        if (target > 0) {
            Signals.kill(target, sig);
        } else {
            held = sig; // before the workload exists: the last one wins, as for a pending signal
        }
    }
}
