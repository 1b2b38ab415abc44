package dev.ward.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** The remaining small calls: process identity, descriptors, exec of the agent itself. */
public final class Posix {
    public static final int O_RDONLY = 0;
    public static final int O_DIRECTORY = 0x10000;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_PATH = 0x200000;

    private Posix() {
    }

    public static int getpid() {
        try {
            return (int) Libc.GETPID.invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static int getuid() {
        try {
            return (int) Libc.GETUID.invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static int gettid() {
        try {
            return (int) Libc.GETTID.invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static boolean isatty(int fd) {
        try {
            return (int) Libc.ISATTY.invokeExact(fd) == 1;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** open(2); throws with the path in the message. */
    public static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState();
            int fd = (int) Libc.OPEN.invokeExact(state, arena.allocateFrom(path), flags, 0);
            if (fd < 0) {
                throw new NativeException("open(" + path + ")", Libc.errno(state), "");
            }
            return fd;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static void close(int fd) {
        try {
            int unused = (int) Libc.CLOSE.invokeExact(Libc.callState(), fd);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * Replaces this process image (used once at start, to re-run the agent with a signal mask the JVM
     * cannot set for threads it already started). Returns only on failure, with the exception.
     */
    public static NativeException execve(String path, List<String> args, List<String> env) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment argv = arena.allocate(java.lang.foreign.ValueLayout.ADDRESS, args.size() + 1L);
            for (int i = 0; i < args.size(); i++) {
                argv.setAtIndex(java.lang.foreign.ValueLayout.ADDRESS, i, arena.allocateFrom(args.get(i)));
            }
            MemorySegment envp = arena.allocate(java.lang.foreign.ValueLayout.ADDRESS, env.size() + 1L);
            for (int i = 0; i < env.size(); i++) {
                envp.setAtIndex(java.lang.foreign.ValueLayout.ADDRESS, i, arena.allocateFrom(env.get(i)));
            }
            MemorySegment state = Libc.callState();
            int unused = (int) Libc.EXECVE.invokeExact(state, arena.allocateFrom(path), argv, envp);
            return new NativeException("execve(" + path + ")", Libc.errno(state), "");
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
