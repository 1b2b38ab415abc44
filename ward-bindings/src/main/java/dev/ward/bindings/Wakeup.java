package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Wakes one thread of the agent out of a blocking call (the tracer's waitpid) from another thread.
 *
 * <p>How: a real-time signal whose handler does nothing, installed without SA_RESTART, so that the
 * signal interrupts a blocking call with EINTR instead of having it restarted, and unblocked only on the
 * thread to wake. The handler is the C library's {@code getpid}: a function that ignores its argument, touches
 * no state and returns, which is all an empty handler is (a Java upcall would not be safe in a signal
 * handler). A signal that arrives just before the thread blocks wakes nothing: the waker repeats until the
 * woken thread says it has seen the request.
 */
public final class Wakeup {
    /**
     * The signal: SIGRTMIN + 7 in glibc's numbering. Not one an init forwards, not HotSpot's suspend/resume
     * signal (40, see the agent's SignalRelay), not one glibc reserves (32, 33).
     */
    public static final int SIGNAL = 41;
    /** glibc's {@code struct sigaction} (x86_64 and aarch64 alike): handler, 128-byte mask, int flags, restorer. */
    static final long SIGACTION_SIZE = 152;
    static final long SA_FLAGS = 136;
    private static final MemorySegment SIGACTION = Libc.LINKER.defaultLookup().find("sigaction").orElseThrow();
    private static final MemorySegment GETPID = Libc.LINKER.defaultLookup().find("getpid").orElseThrow();

    private Wakeup() {
    }

    /**
     * Makes the calling thread wakeable: installs the handler (process-wide, once is enough) and unblocks the
     * signal on this thread only. Returns the thread's id, for {@link #ring}.
     */
    public static int prepare() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment action = arena.allocate(SIGACTION_SIZE, 8);
            action.set(JAVA_LONG, 0, GETPID.address());
            action.set(JAVA_LONG, SA_FLAGS, 0); // no SA_RESTART: the blocking call returns EINTR
            long r = Libc.call(Libc.callState(), SIGACTION, SIGNAL, action.address(), 0, 0, 0, 0, 0);
            if (r != 0) {
                throw new NativeException("sigaction", Libc.errno(Libc.callState()), "");
            }
            MemorySegment set = arena.allocate(Signals.SIGSET_SIZE, 8);
            set.set(JAVA_LONG, 0, 1L << (SIGNAL - 1));
            r = Libc.syscall(Libc.SYS_RT_SIGPROCMASK, Signals.SIG_UNBLOCK, set.address(), 0, Libc.KERNEL_SIGSET_SIZE);
            if (r < 0) {
                throw new NativeException("rt_sigprocmask(SIG_UNBLOCK)", (int) -r, "");
            }
        }
        return (int) Libc.syscall(Libc.SYS_GETTID, 0, 0, 0, 0);
    }

    /** Sends the wake-up signal to thread {@code tid} of this process. */
    public static void ring(int tid) {
        int pid = (int) Libc.syscall(Libc.SYS_GETPID, 0, 0, 0, 0);
        Libc.syscall(Libc.SYS_TGKILL, pid, tid, SIGNAL, 0);
    }
}
