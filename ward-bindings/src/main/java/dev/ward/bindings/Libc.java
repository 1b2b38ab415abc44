package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The one native entry point. Package-private: the façades above it give Java types and error handling.
 *
 * <p>Why one handle: creating a downcall handle spins classes and code per distinct signature (about
 * 20 ms for the first, 5 to 8 ms for each further one, even with the AOT cache), and the agent's start
 * is part of every container start. So every native call goes through a single handle that takes the
 * function's address as its first argument: {@code long f(long a1, ..., long a7)}. In the x86_64 System V
 * calling convention (AArch64's AAPCS64 is alike here) integer and pointer arguments
 * travel in the same 64-bit registers, unused argument registers are ignored by the callee, and an
 * {@code int} result is the low half of the {@code long} one; so calling {@code posix_spawn} or
 * {@code realpath} this way is the same machine-level call as through a typed handle. Callers pass
 * addresses with {@link MemorySegment#address()} and keep their segments alive (they own the arenas).
 * {@code syscall(nr, ...)} is variadic, yet called as a plain function: with integer arguments only the two
 * conventions differ in nothing but {@code %al} on x86_64 (the count of vector registers used), which
 * glibc's assembly {@code syscall} never reads; declaring the variadic position costs 5 ms more at link time.
 *
 * <p>errno: the handle is bound with {@code captureCallState("errno")}; its second parameter is a
 * segment of {@link #CAPTURE_LAYOUT} owned by the calling thread ({@link #callState()}), so concurrent
 * callers never read each other's errno.
 */
final class Libc {
    // Syscall numbers of this machine (Arch: one table per architecture, checked against the kernel headers).
    private static final Arch ARCH = Arch.CURRENT;
    static final long SYS_READ = ARCH.required("read");
    static final long SYS_CLOSE = ARCH.required("close");
    static final long SYS_FSTAT = ARCH.required("fstat");
    static final long SYS_PPOLL = ARCH.required("ppoll");
    static final long SYS_RT_SIGPROCMASK = ARCH.required("rt_sigprocmask");
    static final long SYS_IOCTL = ARCH.required("ioctl");
    static final long SYS_PREAD64 = ARCH.required("pread64");
    static final long SYS_GETPID = ARCH.required("getpid");
    static final long SYS_CONNECT = ARCH.required("connect");
    static final long SYS_SENDTO = ARCH.required("sendto");
    static final long SYS_BIND = ARCH.required("bind");
    static final long SYS_GETSOCKNAME = ARCH.required("getsockname");
    static final long SYS_GETPEERNAME = ARCH.required("getpeername");
    static final long SYS_GETSOCKOPT = ARCH.required("getsockopt");
    static final long SYS_EXECVE = ARCH.required("execve");
    static final long SYS_WAIT4 = ARCH.required("wait4");
    static final long SYS_KILL = ARCH.required("kill");
    static final long SYS_FCNTL = ARCH.required("fcntl");
    static final long SYS_PTRACE = ARCH.required("ptrace");
    static final long SYS_GETUID = ARCH.required("getuid");
    static final long SYS_CAPGET = ARCH.required("capget");
    static final long SYS_CAPSET = ARCH.required("capset");
    static final long SYS_PRCTL = ARCH.required("prctl");
    static final long SYS_GETTID = ARCH.required("gettid");
    static final long SYS_OPENAT = ARCH.required("openat");
    static final long SYS_NEWFSTATAT = ARCH.required("newfstatat");
    static final long SYS_READLINKAT = ARCH.required("readlinkat");
    static final long SYS_SIGNALFD4 = ARCH.required("signalfd4");
    static final long SYS_PROCESS_VM_READV = ARCH.required("process_vm_readv");
    static final long SYS_PROCESS_VM_WRITEV = ARCH.required("process_vm_writev");
    static final long SYS_SECCOMP = ARCH.required("seccomp");
    static final long SYS_PIDFD_OPEN = ARCH.required("pidfd_open");
    static final long SYS_PIDFD_GETFD = ARCH.required("pidfd_getfd");
    static final long SYS_TGKILL = ARCH.required("tgkill");
    static final long SYS_EXIT_GROUP = ARCH.required("exit_group");
    static final long SYS_SCHED_SETAFFINITY = ARCH.required("sched_setaffinity");
    static final long SYS_SCHED_GETAFFINITY = ARCH.required("sched_getaffinity");
    static final long SYS_GETRUSAGE = ARCH.required("getrusage");
    static final long AT_FDCWD = -100;
    /** The kernel's sigset_t is 64 bits, unlike glibc's 1024. */
    static final long KERNEL_SIGSET_SIZE = 8;

    static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CAPTURE_LAYOUT = CallStates.LAYOUT;
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CALL_STATE =
            ThreadLocal.withInitial(Libc::newCallState);

    /** {@code long f(long, ..., long)} at the address given first: see the class comment. */
    private static final MethodHandle CALL = LINKER.downcallHandle(
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                    JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final MemorySegment SYSCALL = find("syscall");

    private Libc() {
    }

    /**
     * Makes syscall {@code nr}; returns its result, or {@code -errno} on failure (the raw-syscall
     * convention, whatever glibc's wrapper did with it).
     */
    static long syscall(MemorySegment callState, long nr, long a, long b, long c, long d, long e, long f) {
        try {
            long r = (long) CALL.invokeExact(SYSCALL, callState, nr, a, b, c, d, e, f);
            return r == -1 ? -errno(callState) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long syscall(long nr, long a, long b, long c, long d) {
        return syscall(callState(), nr, a, b, c, d, 0, 0);
    }

    /**
     * Calls the C library function at {@code fn} with up to seven integer or pointer arguments (pass 0
     * for the ones it does not take) and returns its raw result; errno, if the function sets it, is in
     * {@code callState} afterwards.
     */
    static long call(MemorySegment callState, MemorySegment fn, long a, long b, long c, long d, long e, long f,
            long g) {
        try {
            return (long) CALL.invokeExact(fn, callState, a, b, c, d, e, f, g);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** posix_spawn and the attribute helpers it needs: looked up on first spawn. */
    static final class Spawning {
        static final MemorySegment POSIX_SPAWN = find("posix_spawn");
        static final MemorySegment FA_INIT = find("posix_spawn_file_actions_init");
        static final MemorySegment FA_DESTROY = find("posix_spawn_file_actions_destroy");
        static final MemorySegment FA_ADDFCHDIR = find("posix_spawn_file_actions_addfchdir_np");
        static final MemorySegment FA_ADDCLOSEFROM = find("posix_spawn_file_actions_addclosefrom_np");
        static final MemorySegment ATTR_INIT = find("posix_spawnattr_init");
        static final MemorySegment ATTR_DESTROY = find("posix_spawnattr_destroy");
        static final MemorySegment ATTR_SETFLAGS = find("posix_spawnattr_setflags");
        static final MemorySegment ATTR_SETSIGMASK = find("posix_spawnattr_setsigmask");
        static final MemorySegment ATTR_SETSIGDEFAULT = find("posix_spawnattr_setsigdefault");

        private Spawning() {
        }
    }

    /** realpath(3): a library function (a loop of readlinks), not a syscall. */
    static final MemorySegment REALPATH = find("realpath");

    /** A fresh errno capture segment: see {@link CallStates#fresh}. */
    static MemorySegment newCallState() {
        return CallStates.fresh();
    }

    /** The calling thread's errno capture segment. */
    static MemorySegment callState() {
        return CALL_STATE.get();
    }

    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
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
