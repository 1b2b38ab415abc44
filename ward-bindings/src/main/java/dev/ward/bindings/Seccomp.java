package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * seccomp(2), prctl(2) and the user-notification ioctls.
 *
 * <p>A filter applies to the calling thread only (Ward never uses TSYNC): the agent installs filters on
 * a throwaway spawner thread, and the workload inherits them across fork and exec.
 */
public final class Seccomp {
    public static final int PR_SET_CHILD_SUBREAPER = 36;
    public static final int PR_SET_NO_NEW_PRIVS = 38;
    public static final int PR_SET_DUMPABLE = 4;
    public static final int PR_CAPBSET_DROP = 24;
    public static final int CAP_SYS_PTRACE = 19;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    public static final int SET_MODE_FILTER = 1;
    public static final int GET_ACTION_AVAIL = 2;
    public static final int FILTER_FLAG_NEW_LISTENER = 1 << 3;

    public static final int RET_KILL_PROCESS = 0x80000000;
    public static final int RET_TRAP = 0x00030000;
    public static final int RET_ERRNO = 0x00050000;
    public static final int RET_USER_NOTIF = 0x7fc00000;
    public static final int RET_TRACE = 0x7ff00000;
    public static final int RET_ALLOW = 0x7fff0000;

    /** {@code struct seccomp_notif}: id u64, pid u32, flags u32, then {@code struct seccomp_data}. */
    public static final long NOTIF_SIZE = 80;
    /** {@code struct seccomp_notif_resp}: id u64, val s64, error s32, flags u32. */
    public static final long NOTIF_RESP_SIZE = 24;
    /** {@code struct seccomp_data}: nr s32, arch u32, instruction_pointer u64, args u64[6]. */
    public static final long DATA_SIZE = 64;
    public static final long NOTIF_IOCTL_RECV = 0xc0502100L;
    public static final long NOTIF_IOCTL_SEND = 0xc0182101L;
    public static final int USER_NOTIF_FLAG_CONTINUE = 1;

    private Seccomp() {
    }

    /** Sets no_new_privs on the calling thread: required to install a filter without CAP_SYS_ADMIN. */
    public static void setNoNewPrivs() {
        prctl("prctl(PR_SET_NO_NEW_PRIVS, 1)", PR_SET_NO_NEW_PRIVS, 1);
    }

    /**
     * Makes this process not dumpable: its /proc entries (memory, environment, descriptors) and ptrace
     * access then need CAP_SYS_PTRACE, which the workload does not have (see {@link #dropCapability}).
     */
    public static void setNotDumpable() {
        prctl("prctl(PR_SET_DUMPABLE, 0)", PR_SET_DUMPABLE, 0);
    }

    /**
     * Drops capability {@code cap} from the calling thread's effective, permitted and inheritable sets, and
     * from its bounding set where it may (CAP_SETPCAP). Credentials are per thread: only this thread and the
     * processes it starts lose it, and under no_new_privs an execve cannot give it back.
     */
    public static void dropCapability(int cap) {
        Libc.syscall(Libc.SYS_PRCTL, PR_CAPBSET_DROP, cap, 0, 0); // EPERM without CAP_SETPCAP: the rest suffices
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = arena.allocate(8, 4);
            MemorySegment data = arena.allocate(24, 4); // two of {effective, permitted, inheritable}
            header.set(JAVA_INT, 0, LINUX_CAPABILITY_VERSION_3);
            header.set(JAVA_INT, 4, 0);
            long r = Libc.syscall(Libc.SYS_CAPGET, header.address(), data.address(), 0, 0);
            if (r < 0) {
                throw new NativeException("capget", (int) -r, "");
            }
            int word = cap / 32;
            int bit = ~(1 << (cap % 32));
            for (int field = 0; field < 3; field++) {
                long off = word * 12L + field * 4L;
                data.set(JAVA_INT, off, data.get(JAVA_INT, off) & bit);
            }
            r = Libc.syscall(Libc.SYS_CAPSET, header.address(), data.address(), 0, 0);
            if (r < 0) {
                throw new NativeException("capset (dropping capability " + cap + ")", (int) -r, "");
            }
        }
    }

    /** Makes this process the reaper of orphaned descendants, as an init must be. */
    public static void setChildSubreaper() {
        prctl("prctl(PR_SET_CHILD_SUBREAPER, 1)", PR_SET_CHILD_SUBREAPER, 1);
    }

    /**
     * Installs a classic-BPF program (8-byte {@code struct sock_filter} entries) on the calling thread.
     *
     * @return the listener fd when {@code flags} has {@link #FILTER_FLAG_NEW_LISTENER}, else 0
     */
    public static int installFilter(byte[] program, int flags) {
        if (program.length % 8 != 0 || program.length == 0 || program.length / 8 > 4096) {
            throw new IllegalArgumentException("a BPF program is 1..4096 instructions of 8 bytes, got "
                    + program.length + " bytes");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment insns = arena.allocate(program.length, 8);
            // a heap segment's copy and a long for the pointer: the byte[] copy and the ADDRESS accessor would
            // make the JDK generate classes here, on the spawning thread, just before the workload's exec (CStrings)
            insns.copyFrom(MemorySegment.ofArray(program));
            MemorySegment fprog = arena.allocate(16, 8);
            fprog.set(JAVA_SHORT, 0, (short) (program.length / 8));
            fprog.set(JAVA_LONG, 8, insns.address());
            long r = Libc.syscall(Libc.SYS_SECCOMP, SET_MODE_FILTER, flags, fprog.address(), 0);
            if (r < 0) {
                int errno = (int) -r;
                throw new NativeException("seccomp(SECCOMP_SET_MODE_FILTER, " + flags + ")", errno,
                        errno == Errno.EACCES ? "set no_new_privs first, or run with CAP_SYS_ADMIN"
                                : errno == Errno.EINVAL ? "the kernel rejected the filter or a flag "
                                + "(SECCOMP_FILTER_FLAG_NEW_LISTENER needs Linux 5.0)" : "");
            }
            return (int) r;
        }
    }

    /** Probes whether the kernel supports a filter return action, e.g. {@link #RET_USER_NOTIF}. */
    public static boolean actionAvailable(int action) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            value.set(JAVA_INT, 0, action);
            return Libc.syscall(Libc.SYS_SECCOMP, GET_ACTION_AVAIL, 0, value.address(), 0) == 0;
        }
    }

    /**
     * A seccomp user-notification listener. Threading: one thread receives and answers at a time;
     * the instance owns its request and response buffers.
     */
    public static final class Listener {
        private int fd;
        private final MemorySegment callState = CallStates.fresh();
        private final MemorySegment notif;
        private final MemorySegment resp;
        private final MemorySegment pollFd;

        public Listener(int fd) {
            this.fd = fd;
            Arena arena = Arena.ofAuto();
            notif = arena.allocate(NOTIF_SIZE, 8);
            resp = arena.allocate(NOTIF_RESP_SIZE, 8);
            pollFd = arena.allocate(24, 8); // a pollfd and a timespec, for ppoll
        }

        public int fd() {
            return fd;
        }

        /**
         * Points this listener at {@code newFd}. Lets a thread build the listener (loading its classes)
         * before it installs a filter that stops it from opening class files.
         */
        public void bind(int newFd) {
            this.fd = newFd;
        }

        /** Waits up to {@code timeoutMillis} for a notification; true when one is ready. */
        public boolean awaitReadable(int timeoutMillis) {
            pollFd.set(JAVA_INT, 0, fd);
            pollFd.set(JAVA_SHORT, 4, (short) 1); // POLLIN
            pollFd.set(JAVA_SHORT, 6, (short) 0);
            pollFd.set(JAVA_LONG, 8, timeoutMillis / 1000);
            pollFd.set(JAVA_LONG, 16, timeoutMillis % 1000 * 1_000_000L);
            long timeout = timeoutMillis < 0 ? 0 : pollFd.address() + 8; // ppoll: aarch64 has no poll
            return Libc.syscall(callState, Libc.SYS_PPOLL, pollFd.address(), 1, timeout, 0, 0, 0) > 0;
        }

        /** Blocks for the next notification; returns 0 or -errno. Then read {@link #id()}, {@link #pid()}. */
        public int receive() {
            notif.fill((byte) 0); // the kernel rejects a non-zeroed request with EINVAL
            return ioctl(NOTIF_IOCTL_RECV, notif);
        }

        public long id() {
            return notif.get(JAVA_LONG, 0);
        }

        public int pid() {
            return notif.get(JAVA_INT, 8);
        }

        public int syscallNr() {
            return notif.get(JAVA_INT, 16);
        }

        public long arg(int index) {
            return notif.get(JAVA_LONG, 32 + 8L * index);
        }

        /** Lets the notified syscall run as if no filter had stopped it. */
        public int sendContinue(long id) {
            return send(id, 0, 0, USER_NOTIF_FLAG_CONTINUE);
        }

        /** Fails the notified syscall with {@code -errno} without running it. */
        public int sendError(long id, int errno) {
            return send(id, 0, -errno, 0);
        }

        private int send(long id, long val, int error, int flags) {
            resp.set(JAVA_LONG, 0, id);
            resp.set(JAVA_LONG, 8, val);
            resp.set(JAVA_INT, 16, error);
            resp.set(JAVA_INT, 20, flags);
            return ioctl(NOTIF_IOCTL_SEND, resp);
        }

        private int ioctl(long request, MemorySegment arg) {
            return (int) Libc.syscall(callState, Libc.SYS_IOCTL, fd, request, arg.address(), 0, 0, 0);
        }
    }

    private static void prctl(String what, int option, long arg) {
        long r = Libc.syscall(Libc.SYS_PRCTL, option, arg, 0, 0);
        if (r < 0) {
            throw new NativeException(what, (int) -r, "");
        }
    }
}
