package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Signal masks, signalfd(2) and kill(2). */
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
            int r = (int) Libc.PTHREAD_SIGMASK.invokeExact(SIG_BLOCK, set(arena, signals), MemorySegment.NULL);
            if (r != 0) {
                throw new NativeException("pthread_sigmask(SIG_BLOCK)", r, "");
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Whether every one of {@code signals} is blocked on the calling thread. */
    public static boolean allBlocked(int... signals) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment current = arena.allocate(SIGSET_SIZE, 8);
            int r = (int) Libc.PTHREAD_SIGMASK.invokeExact(SIG_BLOCK, MemorySegment.NULL, current);
            if (r != 0) {
                throw new NativeException("pthread_sigmask(query)", r, "");
            }
            for (int sig : signals) {
                if ((int) Libc.SIGISMEMBER.invokeExact(current, sig) != 1) {
                    return false;
                }
            }
            return true;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** A close-on-exec signalfd for {@code signals}, which must be blocked in every thread. */
    public static int signalFd(int... signals) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState();
            int fd = (int) Libc.SIGNALFD.invokeExact(state, -1, set(arena, signals), SFD_CLOEXEC);
            if (fd < 0) {
                throw new NativeException("signalfd", Libc.errno(state), "");
            }
            return fd;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** kill(2); returns 0 or -errno. */
    public static int kill(int pid, int signal) {
        try {
            MemorySegment state = Libc.callState();
            int r = (int) Libc.KILL.invokeExact(state, pid, signal);
            return r < 0 ? -Libc.errno(state) : 0;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Linux signal names without the SIG prefix, indexed by number (1..31). */
    public static String name(int signal) {
        String[] names = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
            "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
            "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};
        return signal > 0 && signal < names.length ? "SIG" + names[signal] : "signal " + signal;
    }

    private static MemorySegment set(Arena arena, int... signals) throws Throwable {
        MemorySegment set = arena.allocate(SIGSET_SIZE, 8);
        int unused = (int) Libc.SIGEMPTYSET.invokeExact(set);
        for (int sig : signals) {
            unused = (int) Libc.SIGADDSET.invokeExact(set, sig);
        }
        return set;
    }

    /** Reads one record from a signalfd; returns the signal number (0 on failure), code via {@link SignalRecord}. */
    public static final class SignalReader {
        private final int fd;
        private final MemorySegment callState = Libc.newCallState();
        private final MemorySegment buffer = Arena.ofAuto().allocate(SIGNALFD_SIGINFO_SIZE, 8);

        public SignalReader(int fd) {
            this.fd = fd;
        }

        /** Blocks until a signal arrives; returns -errno on failure. */
        public int read() {
            try {
                long n = (long) Libc.READ.invokeExact(callState, fd, buffer, SIGNALFD_SIGINFO_SIZE);
                return n < 0 ? -Libc.errno(callState) : buffer.get(JAVA_INT, 0);
            } catch (Throwable t) {
                throw Libc.rethrow(t);
            }
        }

        public int code() {
            return buffer.get(JAVA_INT, 8);
        }

        public int senderPid() {
            return buffer.get(JAVA_INT, 12);
        }
    }
}
