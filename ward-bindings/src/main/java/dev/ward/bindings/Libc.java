package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The method-handle table. Package-private: the façades above it give Java types and error handling.
 *
 * <p>Why so few handles: creating a downcall handle generates code per distinct signature, and the
 * agent's start-up (part of every container start) paid for each one. So every plain syscall goes
 * through one handle, glibc's {@code syscall(nr, a1..a6)}; only what is not a syscall (posix_spawn and
 * its attribute helpers, realpath) has its own, each in a holder class created on first use.
 *
 * <p>errno: the syscall handle is bound with {@code captureCallState("errno")}; its first parameter is
 * a segment of {@link #CAPTURE_LAYOUT} owned by the calling thread ({@link #callState()}), so concurrent
 * callers never read each other's errno.
 */
final class Libc {
    // x86_64 syscall numbers (checked against <sys/syscall.h> in LayoutTest).
    static final long SYS_READ = 0;
    static final long SYS_CLOSE = 3;
    static final long SYS_POLL = 7;
    static final long SYS_RT_SIGPROCMASK = 14;
    static final long SYS_IOCTL = 16;
    static final long SYS_GETPID = 39;
    static final long SYS_EXECVE = 59;
    static final long SYS_WAIT4 = 61;
    static final long SYS_KILL = 62;
    static final long SYS_PTRACE = 101;
    static final long SYS_GETUID = 102;
    static final long SYS_PRCTL = 157;
    static final long SYS_GETTID = 186;
    static final long SYS_OPENAT = 257;
    static final long SYS_NEWFSTATAT = 262;
    static final long SYS_READLINKAT = 267;
    static final long SYS_SIGNALFD4 = 289;
    static final long SYS_PROCESS_VM_READV = 310;
    static final long SYS_SECCOMP = 317;
    static final long AT_FDCWD = -100;
    /** The kernel's sigset_t is 64 bits, unlike glibc's 1024. */
    static final long KERNEL_SIGSET_SIZE = 8;

    static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CALL_STATE =
            ThreadLocal.withInitial(Libc::newCallState);

    /** long syscall(long number, ...): every call passes six argument words. */
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(find("syscall"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                    JAVA_LONG),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));

    private Libc() {
    }

    /**
     * Makes syscall {@code nr}; returns its result, or {@code -errno} on failure (the raw-syscall
     * convention, whatever glibc's wrapper did with it).
     */
    static long syscall(MemorySegment callState, long nr, long a, long b, long c, long d, long e, long f) {
        try {
            long r = (long) SYSCALL.invokeExact(callState, nr, a, b, c, d, e, f);
            return r == -1 ? -errno(callState) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long syscall(long nr, long a, long b, long c, long d) {
        return syscall(callState(), nr, a, b, c, d, 0, 0);
    }

    /** posix_spawn and the attribute helpers it needs: created on first spawn. */
    static final class Spawning {
        static final MethodHandle POSIX_SPAWN = plain("posix_spawn",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        /** init/destroy of file actions and attributes share one signature. */
        static final MethodHandle FA_INIT = plain("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle FA_DESTROY = plain("posix_spawn_file_actions_destroy",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle FA_ADDFCHDIR = plain("posix_spawn_file_actions_addfchdir_np",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle FA_ADDCLOSEFROM = plain("posix_spawn_file_actions_addclosefrom_np",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle ATTR_INIT = plain("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle ATTR_DESTROY = plain("posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle ATTR_SETFLAGS = plain("posix_spawnattr_setflags",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
        static final MethodHandle ATTR_SETSIGMASK = plain("posix_spawnattr_setsigmask",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle ATTR_SETSIGDEFAULT = plain("posix_spawnattr_setsigdefault",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

        private Spawning() {
        }
    }

    /** realpath(3): a library function (a loop of readlinks), not a syscall. Returns the pointer as a long. */
    static final class RealPath {
        static final MethodHandle REALPATH = LINKER.downcallHandle(find("realpath"),
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS), Linker.Option.captureCallState("errno"));

        private RealPath() {
        }
    }

    /** A fresh errno capture segment; hot-path owners keep their own instead of the thread-local. */
    static MemorySegment newCallState() {
        return Arena.ofAuto().allocate(CAPTURE_LAYOUT);
    }

    /** The calling thread's errno capture segment. */
    static MemorySegment callState() {
        return CALL_STATE.get();
    }

    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    private static MethodHandle plain(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(find(name), fd);
    }

    private static MemorySegment find(String name) {
        return LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError(
                "C library function " + name + " not found: Ward needs glibc 2.34 or newer (the agent bundle ships one)"));
    }

    /** Turns a Throwable from invokeExact into an unchecked error; downcalls themselves never throw. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
