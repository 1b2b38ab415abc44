package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Signal masks, signalfd(2) and kill(2), with the signal numbers these calls are made with. Signal names and
 * their parsing live once, in ward-api's {@code StopSignal} (the bindings depend on nothing); ward-agent's
 * EntrypointTest checks that the numbers here agree with that table.
 */
public final class Signals {
    public static final long SIGSET_SIZE = 128;
    /** {@code struct signalfd_siginfo} is 128 bytes: ssi_signo u32 @0, ssi_code s32 @8, ssi_pid u32 @12. */
    public static final long SIGNALFD_SIGINFO_SIZE = 128;
    public static final int SIG_BLOCK = 0;
    public static final int SIG_UNBLOCK = 1;
    public static final int SFD_CLOEXEC = 0x80000;
    /** si_code of a signal the kernel raised itself (e.g. a terminal's ^C), not kill(2). */
    public static final int SI_KERNEL = 0x80;

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGTRAP = 5;
    public static final int SIGABRT = 6;
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGSEGV = 11;
    public static final int SIGUSR2 = 12;
    public static final int SIGPIPE = 13;
    public static final int SIGALRM = 14;
    public static final int SIGTERM = 15;
    public static final int SIGCHLD = 17;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;
    public static final int SIGTSTP = 20;
    public static final int SIGTTIN = 21;
    public static final int SIGTTOU = 22;
    public static final int SIGWINCH = 28;
    public static final int SIGSYS = 31;

    private Signals() {
    }

    /** Blocks {@code signals} on the calling thread (threads it creates inherit the mask). */
    public static void block(int... signals) {
        try (Arena arena = Arena.ofConfined()) {
            long r = Libc.syscall(Libc.SYS_RT_SIGPROCMASK, SIG_BLOCK, set(arena, signals).address(), 0,
                    Libc.KERNEL_SIGSET_SIZE);
            if (r < 0) {
                throw new NativeException("rt_sigprocmask(SIG_BLOCK)", (int) -r, "");
            }
        }
    }

    /** Whether every one of {@code signals} is blocked on the calling thread. */
    public static boolean allBlocked(int... signals) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment current = arena.allocate(SIGSET_SIZE, 8);
            long r = Libc.syscall(Libc.SYS_RT_SIGPROCMASK, SIG_BLOCK, 0, current.address(), Libc.KERNEL_SIGSET_SIZE);
            if (r < 0) {
                throw new NativeException("rt_sigprocmask(query)", (int) -r, "");
            }
            for (int sig : signals) {
                if (!isMember(current, sig)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A close-on-exec signalfd for {@code signals}, which must be blocked in every thread. */
    public static int signalFd(int... signals) {
        try (Arena arena = Arena.ofConfined()) {
            long fd = Libc.syscall(Libc.SYS_SIGNALFD4, -1, set(arena, signals).address(), Libc.KERNEL_SIGSET_SIZE,
                    SFD_CLOEXEC);
            if (fd < 0) {
                throw new NativeException("signalfd", (int) -fd, "");
            }
            return (int) fd;
        }
    }

    /** kill(2); returns 0 or -errno. */
    public static int kill(int pid, int signal) {
        return (int) Libc.syscall(Libc.SYS_KILL, pid, signal, 0, 0);
    }

    /** Adds {@code signal} to a sigset (the kernel's and glibc's share the bit layout: bit sig-1). */
    static void addSignal(MemorySegment set, int signal) {
        long offset = ((signal - 1) / 64) * 8L;
        set.set(JAVA_LONG, offset, set.get(JAVA_LONG, offset) | (1L << ((signal - 1) % 64)));
    }

    static boolean isMember(MemorySegment set, int signal) {
        return (set.get(JAVA_LONG, ((signal - 1) / 64) * 8L) & (1L << ((signal - 1) % 64))) != 0;
    }

    private static MemorySegment set(Arena arena, int... signals) {
        MemorySegment set = arena.allocate(SIGSET_SIZE, 8);
        for (int sig : signals) {
            addSignal(set, sig);
        }
        return set;
    }

    /** Reads one record from a signalfd; returns the signal number (0 on failure), code via {@link SignalRecord}. */
    public static final class SignalReader {
        private final int fd;
        private final MemorySegment callState = CallStates.fresh();
        private final MemorySegment buffer = Arena.ofAuto().allocate(SIGNALFD_SIGINFO_SIZE, 8);

        public SignalReader(int fd) {
            this.fd = fd;
        }

        /** Blocks until a signal arrives; returns -errno on failure. */
        public int read() {
            long n = Libc.syscall(callState, Libc.SYS_READ, fd, buffer.address(), SIGNALFD_SIGINFO_SIZE, 0, 0, 0);
            return n < 0 ? (int) n : buffer.get(JAVA_INT, 0);
        }

        public int code() {
            return buffer.get(JAVA_INT, 8);
        }

        public int senderPid() {
            return buffer.get(JAVA_INT, 12);
        }
    }
}
