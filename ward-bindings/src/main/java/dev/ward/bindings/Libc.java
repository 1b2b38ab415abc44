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
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The method-handle table: every C library function Ward calls, bound once. Package-private: the
 * façades above it give Java types and error handling.
 *
 * <p>Functions that report failure through errno are bound with {@code captureCallState("errno")};
 * their first parameter is then a segment of {@link #CAPTURE_LAYOUT} owned by the calling thread
 * ({@link #callState()}), so concurrent callers never read each other's errno. Variadic C functions
 * (ptrace, prctl, syscall, ioctl, open) are bound with {@code firstVariadicArg} so the x86_64 calling
 * convention for varargs is honoured.
 */
final class Libc {
    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CALL_STATE =
            ThreadLocal.withInitial(Libc::newCallState);

    static final MethodHandle PTRACE = errnoVariadic("ptrace", 1,
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    static final MethodHandle WAITPID = errno("waitpid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle PROCESS_VM_READV = errno("process_vm_readv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG));
    static final MethodHandle PRCTL = errnoVariadic("prctl", 1,
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    /** syscall(nr, a, b, c): used for seccomp(2), which glibc 2.36 does not wrap. */
    static final MethodHandle SYSCALL3 = errnoVariadic("syscall", 1,
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    static final MethodHandle IOCTL = errnoVariadic("ioctl", 2,
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    static final MethodHandle OPEN = errnoVariadic("open", 2,
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    static final MethodHandle CLOSE = errno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final MethodHandle READ = errno("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle READLINK = errno("readlink",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
    /** Returns the pointer as a long: an ADDRESS return would allocate a segment per call. */
    static final MethodHandle REALPATH = errno("realpath",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS));
    static final MethodHandle FSTATAT = errno("fstatat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle KILL = errno("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    static final MethodHandle SIGNALFD = errno("signalfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle EXECVE = errno("execve",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle POLL = errno("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    static final MethodHandle GETPID = plain("getpid", FunctionDescriptor.of(JAVA_INT));
    static final MethodHandle GETUID = plain("getuid", FunctionDescriptor.of(JAVA_INT));
    static final MethodHandle GETTID = plain("gettid", FunctionDescriptor.of(JAVA_INT));
    static final MethodHandle ISATTY = plain("isatty", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    // pthread_sigmask and the posix_spawn family return an error number instead of setting errno.
    static final MethodHandle PTHREAD_SIGMASK = plain("pthread_sigmask",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle SIGEMPTYSET = plain("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle SIGFILLSET = plain("sigfillset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle SIGADDSET = plain("sigaddset", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle SIGISMEMBER = plain("sigismember",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle POSIX_SPAWNP = plain("posix_spawnp",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle POSIX_SPAWN = plain("posix_spawn",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle FA_INIT = plain("posix_spawn_file_actions_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle FA_DESTROY = plain("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle FA_ADDFCHDIR = plain("posix_spawn_file_actions_addfchdir_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle FA_ADDCLOSEFROM = plain("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle ATTR_INIT = plain("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle ATTR_DESTROY = plain("posix_spawnattr_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle ATTR_SETFLAGS = plain("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    static final MethodHandle ATTR_SETSIGMASK = plain("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle ATTR_SETSIGDEFAULT = plain("posix_spawnattr_setsigdefault",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    private Libc() {
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

    private static MethodHandle errno(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(find(name), fd, Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle errnoVariadic(String name, int firstVariadic, FunctionDescriptor fd) {
        return LINKER.downcallHandle(find(name), fd, Linker.Option.captureCallState("errno"),
                Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static MemorySegment find(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError(
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
