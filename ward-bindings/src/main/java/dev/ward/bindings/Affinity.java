package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Where threads run: the calling thread's CPU affinity ({@code sched_setaffinity(2)} with pid 0) and the CPU
 * another thread last ran on (field 39, {@code processor}, of {@code /proc/TID/stat}), without allocating.
 *
 * <p>Threading: one instance per thread, which it acts on: {@link #pin} and {@link #restore} change the affinity of
 * the thread that calls them, and the thread that created the instance must be that thread ({@link #original} is
 * its set at creation). Not thread-safe.
 */
public final class Affinity {
    /** The mask size asked of the kernel: 1,024 CPUs, glibc's cpu_set_t; a larger machine gets EINVAL (no follow). */
    static final int MASK_BYTES = 128;
    private static final int STAT_BYTES = 1024;
    /** {@code processor} is field 39; the fields after the command's closing parenthesis start at 3. */
    private static final int PROCESSOR_FIELD = 39 - 3;

    private final MemorySegment callState = CallStates.forTracer();
    private final MemorySegment mask;
    private final MemorySegment stat;
    private final MemorySegment path;
    private final long[] original = new long[MASK_BYTES / 8];
    private final byte[] line = new byte[STAT_BYTES];
    private final int cpus;
    private int statTid = -1;
    private int statFd = -1;

    /** Reads the calling thread's affinity, which {@link #restore} goes back to; none (0 CPUs) if unreadable. */
    public Affinity() {
        Arena arena = Arena.ofAuto();
        mask = arena.allocate(MASK_BYTES, 8);
        stat = arena.allocate(STAT_BYTES, 8);
        path = arena.allocate(32, 8);
        long r = Libc.syscall(callState, Libc.SYS_SCHED_GETAFFINITY, 0, MASK_BYTES, mask.address(), 0, 0, 0);
        int count = 0;
        if (r > 0) {
            for (int i = 0; i < original.length; i++) {
                original[i] = mask.get(JAVA_LONG, i * 8L);
                count += Long.bitCount(original[i]);
            }
        }
        cpus = count;
    }

    /** How many CPUs the thread was allowed at creation. */
    public int cpus() {
        return cpus;
    }

    /** Whether {@code cpu} was in the thread's affinity at creation. */
    public boolean allows(int cpu) {
        return cpu >= 0 && cpu < MASK_BYTES * 8 && (original[cpu >>> 6] & 1L << (cpu & 63)) != 0;
    }

    /** Confines the calling thread to {@code cpu}; 0 or -errno. */
    public int pin(int cpu) {
        if (!allows(cpu)) {
            return -Errno.EINVAL;
        }
        mask.fill((byte) 0);
        mask.set(JAVA_LONG, (cpu >>> 6) * 8L, 1L << (cpu & 63));
        return (int) Libc.syscall(callState, Libc.SYS_SCHED_SETAFFINITY, 0, MASK_BYTES, mask.address(), 0, 0, 0);
    }

    /** Gives the calling thread back the affinity it had at creation; 0 or -errno. */
    public int restore() {
        for (int i = 0; i < original.length; i++) {
            mask.set(JAVA_LONG, i * 8L, original[i]);
        }
        return (int) Libc.syscall(callState, Libc.SYS_SCHED_SETAFFINITY, 0, MASK_BYTES, mask.address(), 0, 0, 0);
    }

    /**
     * The CPU thread {@code tid} (of any process this one may read) last ran on, or -errno. The stat file of the
     * last thread asked about stays open and is read again with pread: asking about the same thread is one
     * syscall.
     */
    public int processor(int tid) {
        if (tid != statTid) {
            forget();
            int at = ProcFs.putAscii(path, 0, "/proc/");
            at = ProcFs.putInt(path, at, tid);
            at = ProcFs.putAscii(path, at, "/stat");
            path.set(JAVA_BYTE, at, (byte) 0);
            long fd = Libc.syscall(callState, Libc.SYS_OPENAT, Libc.AT_FDCWD, path.address(),
                    Posix.O_RDONLY | Posix.O_CLOEXEC, 0, 0, 0);
            if (fd < 0) {
                return (int) fd;
            }
            statFd = (int) fd;
            statTid = tid;
        }
        long n = Libc.syscall(callState, Libc.SYS_PREAD64, statFd, stat.address(), STAT_BYTES, 0, 0, 0);
        if (n <= 0) {
            forget();
            return n == 0 ? -Errno.ESRCH : (int) n;
        }
        MemorySegment.copy(stat, JAVA_BYTE, 0, line, 0, (int) n);
        return parseProcessor(line, (int) n);
    }

    /** Closes the stat file kept open by {@link #processor}. */
    public void forget() {
        if (statFd >= 0) {
            Libc.syscall(callState, Libc.SYS_CLOSE, statFd, 0, 0, 0, 0, 0);
        }
        statFd = -1;
        statTid = -1;
    }

    /** Field 39 of a /proc/TID/stat line, counted after the command's last ')' (a command may hold both). */
    static int parseProcessor(byte[] line, int length) {
        int at = length - 1;
        while (at >= 0 && line[at] != ')') {
            at--;
        }
        if (at < 0) {
            return -Errno.EINVAL;
        }
        at += 2; // ") ": now at field 3
        for (int spaces = 0; spaces < PROCESSOR_FIELD; at++) {
            if (at >= length) {
                return -Errno.EINVAL;
            }
            if (line[at] == ' ') {
                spaces++;
            }
        }
        int cpu = 0;
        int start = at;
        while (at < length && line[at] >= '0' && line[at] <= '9') {
            cpu = cpu * 10 + line[at++] - '0';
        }
        return at > start ? cpu : -Errno.EINVAL;
    }
}
