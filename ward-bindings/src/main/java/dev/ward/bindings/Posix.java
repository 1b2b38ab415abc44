package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** The remaining small calls: process identity, descriptors, exec of the agent itself. */
public final class Posix {
    public static final int O_RDONLY = 0;
    public static final int O_DIRECTORY = Arch.CURRENT.oDirectory();
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_PATH = 0x200000;
    private static final long TCGETS = 0x5401;
    private static volatile boolean linked;

    private Posix() {
    }

    /**
     * Links the native entry point now, with one harmless call, instead of on first use: the agent does it
     * on a second thread during its start (see Libc for why it takes a while). Copies between Java arrays and
     * native memory are made once here too: the JDK dispatches them on the array's type through a switch it
     * generates at first use, which the start-up cache cannot hold; the tracer's first copy is at the workload's
     * first exec stop, while the workload waits.
     */
    public static void link() {
        getpid();
        linked = true;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment native8 = arena.allocate(8);
            byte[] heap = new byte[8];
            MemorySegment.copy(heap, 0, native8, JAVA_BYTE, 0, heap.length);
            MemorySegment.copy(native8, JAVA_BYTE, 0, heap, 0, heap.length);
        }
    }

    /** Whether {@link #link} ran: native calls then cost no linking. */
    public static boolean linked() {
        return linked;
    }

    public static int getpid() {
        return (int) Libc.syscall(Libc.SYS_GETPID, 0, 0, 0, 0);
    }

    public static int getuid() {
        return (int) Libc.syscall(Libc.SYS_GETUID, 0, 0, 0, 0);
    }

    public static int gettid() {
        return (int) Libc.syscall(Libc.SYS_GETTID, 0, 0, 0, 0);
    }

    /**
     * Ends the process now with {@code code} (exit_group(2)): every thread, no JVM shutdown (no shutdown hooks,
     * no VM operation, no waiting for other threads). For a caller that has closed and flushed what it wrote.
     */
    public static void exitGroup(int code) {
        Libc.syscall(Libc.SYS_EXIT_GROUP, code, 0, 0, 0);
        throw new IllegalStateException("exit_group(" + code + ") returned");
    }

    /** Whether {@code fd} is a terminal (TCGETS succeeds), as isatty(3) decides. */
    public static boolean isatty(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            return Libc.syscall(Libc.SYS_IOCTL, fd, TCGETS, arena.allocate(64, 8).address(), 0) == 0;
        }
    }

    /** open(2); throws with the path in the message. */
    public static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            long fd = Libc.syscall(Libc.SYS_OPENAT, Libc.AT_FDCWD, CStrings.of(arena, path).address(), flags, 0);
            if (fd < 0) {
                throw new NativeException("open(" + path + ")", (int) -fd, "");
            }
            return (int) fd;
        }
    }

    public static void close(int fd) {
        Libc.syscall(Libc.SYS_CLOSE, fd, 0, 0, 0);
    }

    /**
     * Replaces this process image (used once at start, to re-run the agent with a signal mask the JVM
     * cannot set for threads it already started). Returns only on failure, with the exception.
     */
    public static NativeException execve(String path, List<String> args, List<String> env) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment argv = CStrings.array(arena, args);
            MemorySegment envp = CStrings.array(arena, env);
            long r = Libc.syscall(Libc.SYS_EXECVE, CStrings.of(arena, path).address(), argv.address(),
                    envp.address(), 0);
            return new NativeException("execve(" + path + ")", (int) -r, "");
        }
    }

    /**
     * The command line of process {@code pid} ("self" for this one): its NUL-separated /proc/PID/cmdline.
     * Cold paths only (allocates).
     */
    public static java.util.List<String> cmdline(String pid) throws java.io.IOException {
        byte[] raw = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", pid, "cmdline"));
        java.util.List<String> args = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                args.add(new String(raw, start, i - start, java.nio.charset.StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return args;
    }

    /** Convenience for cold paths: readlink of any path as a String, or null. */
    public static String readlink(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ProcFs.PATH_MAX);
            long n = Libc.syscall(Libc.SYS_READLINKAT, Libc.AT_FDCWD, CStrings.of(arena, path).address(),
                    out.address(), ProcFs.PATH_MAX);
            if (n < 0) {
                return null;
            }
            byte[] bytes = new byte[(int) n];
            MemorySegment.copy(out, JAVA_BYTE, 0, bytes, 0, (int) n);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
