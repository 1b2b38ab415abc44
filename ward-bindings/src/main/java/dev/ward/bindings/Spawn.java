package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * posix_spawn(3) of the workload, prepared in advance.
 *
 * <p>Why prepared: the agent calls {@link Request#spawn()} on a thread that has just installed the
 * workload's seccomp filters on itself, where many syscalls (open, socket, ...) no longer work for that
 * thread. So every piece of native memory, every string and the file actions are built in the
 * constructor, and {@code spawn()} makes exactly one downcall.
 *
 * <p>The child: signal mask emptied and every signal's disposition reset to default (the agent blocks
 * signals for its own signalfd; the workload must not inherit that); first file action
 * {@code fchdir(gateFd)}, which the spawner's gate filter turns into a user notification so the agent
 * can PTRACE_SEIZE the child before its first traced syscall; then all descriptors above 2 closed.
 */
public final class Spawn {
    private static final int POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final int POSIX_SPAWN_SETSIGMASK = 0x08;
    /** glibc's posix_spawn_file_actions_t is 80 bytes and posix_spawnattr_t 336: leave room. */
    private static final long OPAQUE_SIZE = 1024;

    private Spawn() {
    }

    /** A ready-to-run spawn. Not thread-safe; close it after the spawn returned. */
    public static final class Request implements AutoCloseable {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment pid;
        private final MemorySegment path;
        private final MemorySegment fileActions;
        private final MemorySegment attr;
        private final MemorySegment argv;
        private final MemorySegment envp;
        /** errno capture for this request's calls, made here: spawn() allocates nothing. */
        private final MemorySegment callState;

        /**
         * @param path    absolute path of the program (PATH lookup is the caller's)
         * @param args    argv, args.get(0) included
         * @param env     "NAME=value" strings
         * @param gateFd  an open directory descriptor: the child fchdir()s to it first, or -1 for none
         */
        public Request(String path, List<String> args, List<String> env, int gateFd) {
            this.callState = arena.allocate(CallStates.LAYOUT);
            this.pid = arena.allocate(JAVA_INT);
            this.path = CStrings.of(arena, path);
            this.argv = CStrings.array(arena, args);
            this.envp = CStrings.array(arena, env);
            this.fileActions = arena.allocate(OPAQUE_SIZE, 16);
            this.attr = arena.allocate(OPAQUE_SIZE, 16);
            try {
                check("posix_spawn_file_actions_init", call(Libc.Spawning.FA_INIT, fileActions.address(), 0));
                if (gateFd >= 0) {
                    check("posix_spawn_file_actions_addfchdir_np",
                            call(Libc.Spawning.FA_ADDFCHDIR, fileActions.address(), gateFd));
                }
                check("posix_spawn_file_actions_addclosefrom_np",
                        call(Libc.Spawning.FA_ADDCLOSEFROM, fileActions.address(), 3));
                check("posix_spawnattr_init", call(Libc.Spawning.ATTR_INIT, attr.address(), 0));
                MemorySegment empty = arena.allocate(Signals.SIGSET_SIZE, 8); // arenas zero memory
                MemorySegment all = arena.allocate(Signals.SIGSET_SIZE, 8);
                for (int sig = 1; sig <= 64; sig++) {
                    if (sig != 32 && sig != 33) { // glibc's internal signals, as sigfillset leaves them out
                        Signals.addSignal(all, sig);
                    }
                }
                check("posix_spawnattr_setsigmask", call(Libc.Spawning.ATTR_SETSIGMASK, attr.address(), empty.address()));
                check("posix_spawnattr_setsigdefault",
                        call(Libc.Spawning.ATTR_SETSIGDEFAULT, attr.address(), all.address()));
                check("posix_spawnattr_setflags", call(Libc.Spawning.ATTR_SETFLAGS, attr.address(),
                        POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK));
            } catch (RuntimeException | Error e) {
                arena.close();
                throw e;
            }
        }

        /** Spawns: returns the child's pid, or {@code -errno} (e.g. -ENOENT, -EACCES from execve). */
        public int spawn() {
            int r = (int) Libc.call(callState, Libc.Spawning.POSIX_SPAWN, pid.address(), path.address(),
                    fileActions.address(), attr.address(), argv.address(), envp.address(), 0);
            return r != 0 ? -r : pid.get(JAVA_INT, 0);
        }

        @Override
        public void close() {
            try {
                call(Libc.Spawning.FA_DESTROY, fileActions.address(), 0);
                call(Libc.Spawning.ATTR_DESTROY, attr.address(), 0);
            } finally {
                arena.close();
            }
        }

        private int call(MemorySegment fn, long a, long b) {
            return (int) Libc.call(callState, fn, a, b, 0, 0, 0, 0, 0);
        }

        private static void check(String call, int result) {
            if (result != 0) {
                throw new NativeException(call, result, "");
            }
        }
    }
}
