package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reads a tracee's memory and its /proc links (exe, cwd, fd/N) and stats files, without allocating.
 *
 * <p>Threading: one instance per tracer thread; it owns its native buffers. Results are copied into
 * caller-provided {@code byte[]}s, which stay valid until the caller reuses them.
 */
public final class ProcFs {
    public static final int PATH_MAX = 4096;
    private static final long PAGE = 4096;
    private static final int FIRST_READ = 256;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;
    /** The kernel's {@code struct stat} (x86_64: 144 bytes, st_mode u32 @24, st_uid u32 @28; aarch64 differs). */
    static final long STAT_SIZE = Arch.CURRENT.stat().size();
    static final long STAT_MODE = Arch.CURRENT.stat().mode();
    static final long STAT_UID = Arch.CURRENT.stat().uid();

    private final MemorySegment callState = CallStates.forTracer();
    private final MemorySegment buffer;
    private final MemorySegment localIov;
    private final MemorySegment remoteIov;
    private final MemorySegment procPath;
    private final MemorySegment statBuf;
    private final MemorySegment cPath;

    public ProcFs() {
        Arena arena = Arena.ofAuto();
        buffer = arena.allocate(2 * PAGE, 8);
        localIov = arena.allocate(16, 8);
        remoteIov = arena.allocate(32, 8);
        procPath = arena.allocate(64, 8);
        statBuf = arena.allocate(STAT_SIZE, 8);
        cPath = arena.allocate(PATH_MAX + 1, 8);
        localIov.set(ADDRESS, 0, buffer); // every read lands in the buffer: only its length changes
    }

    /**
     * Copies the NUL-terminated string at {@code address} in process {@code pid} into {@code out}.
     * Reads at most two pages per call, split at the page boundary so an unmapped next page does not
     * fail the whole read. The bytes of {@code out} after the string's may be overwritten too.
     *
     * @return the string's length without the NUL; {@code -ENAMETOOLONG} if none within
     *     {@code out.length}; {@code -EFAULT} or another {@code -errno} if unreadable
     */
    public int readString(int pid, long address, byte[] out) {
        if (address == 0) {
            return -Errno.EFAULT;
        }
        int limit = Math.min(out.length, PATH_MAX);
        int total = 0;
        long cursor = address;
        while (total < limit) {
            // Most paths are short: the first read asks for FIRST_READ bytes, not two pages' worth.
            int want = total == 0 ? Math.min(FIRST_READ, limit) : limit - total;
            long firstLen = Math.min(PAGE - (cursor & (PAGE - 1)), want);
            long secondLen = Math.min(PAGE, want - firstLen);
            long n = readv(pid, cursor, firstLen, secondLen);
            if (n <= 0) {
                return total > 0 ? -Errno.EFAULT : (int) (n == 0 ? -Errno.EFAULT : n);
            }
            // One bulk copy, then the scan in Java: a get per byte costs a call each in C1-compiled code.
            MemorySegment.copy(buffer, JAVA_BYTE, 0, out, total, (int) n);
            for (int i = total, end = total + (int) n; i < end; i++) {
                if (out[i] == 0) {
                    return i;
                }
            }
            total += (int) n;
            cursor += n;
        }
        return -Errno.ENAMETOOLONG;
    }

    /** Copies {@code length} bytes at {@code address} into {@code out}; returns the count read or -errno. */
    public int read(int pid, long address, byte[] out, int length) {
        int want = Math.min(Math.min(length, out.length), (int) (2 * PAGE));
        long firstLen = Math.min(PAGE - (address & (PAGE - 1)), want);
        long n = readv(pid, address, firstLen, want - firstLen);
        if (n > 0) {
            MemorySegment.copy(buffer, JAVA_BYTE, 0, out, 0, (int) n);
        }
        return (int) n;
    }

    private long readv(int pid, long address, long firstLen, long secondLen) {
        localIov.set(JAVA_LONG, 8, firstLen + secondLen);
        remoteIov.set(JAVA_LONG, 0, address);
        remoteIov.set(JAVA_LONG, 8, firstLen);
        remoteIov.set(JAVA_LONG, 16, address + firstLen);
        remoteIov.set(JAVA_LONG, 24, secondLen);
        return Libc.syscall(callState, Libc.SYS_PROCESS_VM_READV, pid, localIov.address(), 1, remoteIov.address(),
                secondLen > 0 ? 2 : 1, 0);
    }

    /** readlink("/proc/PID/exe") into {@code out}; returns the length or -errno. */
    public int exe(int pid, byte[] out) {
        return procLink(pid, "exe", -1, out);
    }

    /** readlink("/proc/PID/cwd") into {@code out}; returns the length or -errno. */
    public int cwd(int pid, byte[] out) {
        return procLink(pid, "cwd", -1, out);
    }

    /** readlink("/proc/PID/fd/FD") into {@code out}; returns the length or -errno. */
    public int fdPath(int pid, int fd, byte[] out) {
        return procLink(pid, "fd/", fd, out);
    }

    /**
     * realpath(3) of {@code path[0..length)} into {@code out}: every symlink (and /proc magic link)
     * followed, as this process sees the file system. Returns the length or -errno (-ENOENT when the
     * file does not exist).
     */
    public int realpath(byte[] path, int length, byte[] out) {
        if (length > PATH_MAX) {
            return -Errno.ENAMETOOLONG;
        }
        toCPath(path, length);
        long r = Libc.call(callState, Libc.REALPATH, cPath.address(), buffer.address(), 0, 0, 0, 0, 0);
        if (r == 0) {
            return -Libc.errno(callState);
        }
        int n = 0;
        while (n < PATH_MAX && buffer.get(JAVA_BYTE, n) != 0) {
            n++;
        }
        int len = Math.min(n, out.length);
        MemorySegment.copy(buffer, JAVA_BYTE, 0, out, 0, len);
        return len;
    }

    /** lstat(2): 1 when {@code path} is a symlink, 0 when it is anything else, or -errno (-ENOENT: nothing). */
    public int isSymlink(byte[] path, int length) {
        if (length >= PATH_MAX) {
            return -Errno.ENAMETOOLONG;
        }
        toCPath(path, length);
        long r = Libc.syscall(callState, Libc.SYS_NEWFSTATAT, AT_FDCWD, cPath.address(), statBuf.address(),
                AT_SYMLINK_NOFOLLOW, 0, 0);
        if (r < 0) {
            return (int) r;
        }
        return (statBuf.get(JAVA_INT, STAT_MODE) & S_IFMT) == S_IFLNK ? 1 : 0;
    }

    /** readlink(2) of {@code path[0..length)}: a symlink's target, as stored, into {@code out}; its length or -errno. */
    public int readlink(byte[] path, int length, byte[] out) {
        if (length >= PATH_MAX) {
            return -Errno.ENAMETOOLONG;
        }
        toCPath(path, length);
        return readlinkInto(cPath, out);
    }

    private long lastDev;
    private long lastIno;
    private long lastNlink;

    /**
     * Stats the file open as descriptor {@code fd} of process {@code pid} (through /proc/PID/fd/FD, which
     * follows to the file itself). Returns 0 or -errno; then read {@link #dev()}, {@link #ino()},
     * {@link #nlink()}.
     */
    public int statFd(int pid, int fd) {
        buildProcPath(pid, "fd/", fd);
        return statInto(procPath);
    }

    /** Stats {@code /proc/PID/exe}: the binary a process runs. Returns 0 or -errno. */
    public int statExe(int pid) {
        buildProcPath(pid, "exe", -1);
        return statInto(procPath);
    }

    /** Stats the file at {@code path} (following symlinks), for {@link #dev()}, {@link #ino()}, {@link #nlink()}. */
    public int statPath(byte[] path, int length) {
        if (length >= PATH_MAX) {
            return -Errno.ENAMETOOLONG;
        }
        toCPath(path, length);
        return statInto(cPath);
    }

    /** Device of the last {@link #statFd}/{@link #statExe}/{@link #statPath}. */
    public long dev() {
        return lastDev;
    }

    public long ino() {
        return lastIno;
    }

    public long nlink() {
        return lastNlink;
    }

    private int statInto(MemorySegment cString) {
        long r = Libc.syscall(callState, Libc.SYS_NEWFSTATAT, AT_FDCWD, cString.address(), statBuf.address(), 0, 0, 0);
        if (r < 0) {
            return (int) r;
        }
        lastDev = statBuf.get(JAVA_LONG, 0);
        lastIno = statBuf.get(JAVA_LONG, 8);
        lastNlink = statBuf.get(JAVA_LONG, 16);
        return 0;
    }

    /** The owner uid of the file at {@code path} (following symlinks), or -errno. */
    public int ownerUid(byte[] path, int length) {
        int r = stat(path, length);
        return r < 0 ? r : statBuf.get(JAVA_INT, STAT_UID);
    }

    /** The st_mode of the file at {@code path} (following symlinks), or -errno. */
    public int mode(byte[] path, int length) {
        int r = stat(path, length);
        return r < 0 ? r : statBuf.get(JAVA_INT, STAT_MODE);
    }

    private int stat(byte[] path, int length) {
        if (length > PATH_MAX) {
            return -Errno.ENAMETOOLONG;
        }
        toCPath(path, length);
        long r = Libc.syscall(callState, Libc.SYS_NEWFSTATAT, AT_FDCWD, cPath.address(), statBuf.address(), 0, 0, 0);
        return r < 0 ? (int) r : 0;
    }

    private void buildProcPath(int pid, String leaf, int fd) {
        int at = putAscii(procPath, 0, "/proc/");
        at = putInt(procPath, at, pid);
        procPath.set(JAVA_BYTE, at++, (byte) '/');
        at = putAscii(procPath, at, leaf);
        if (fd >= 0) {
            at = putInt(procPath, at, fd);
        }
        procPath.set(JAVA_BYTE, at, (byte) 0);
    }

    private void toCPath(byte[] path, int length) {
        MemorySegment.copy(path, 0, cPath, JAVA_BYTE, 0, length);
        cPath.set(JAVA_BYTE, length, (byte) 0);
    }

    private int procLink(int pid, String leaf, int fd, byte[] out) {
        buildProcPath(pid, leaf, fd);
        return readlinkInto(procPath, out);
    }

    private int readlinkInto(MemorySegment cString, byte[] out) {
        long n = Libc.syscall(callState, Libc.SYS_READLINKAT, AT_FDCWD, cString.address(), buffer.address(), PATH_MAX,
                0, 0);
        if (n < 0) {
            return (int) n;
        }
        int len = (int) Math.min(n, out.length);
        MemorySegment.copy(buffer, JAVA_BYTE, 0, out, 0, len);
        return len;
    }

    static int putAscii(MemorySegment seg, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            seg.set(JAVA_BYTE, at++, (byte) s.charAt(i));
        }
        return at;
    }

    static int putInt(MemorySegment seg, int at, int value) {
        if (value == 0) {
            seg.set(JAVA_BYTE, at, (byte) '0');
            return at + 1;
        }
        int digits = 0;
        for (int v = value; v > 0; v /= 10) {
            digits++;
        }
        for (int i = digits - 1, v = value; i >= 0; i--, v /= 10) {
            seg.set(JAVA_BYTE, at + i, (byte) ('0' + v % 10));
        }
        return at + digits;
    }

    /**
     * The real uid of process {@code pid} (the first field of {@code Uid:} in /proc/PID/status), or -1.
     * It may have changed since exec (setuid): reports and ownerOnly rules want the current one.
     */
    public int uid(int pid) {
        buildProcPath(pid, "status", -1);
        long fd = Libc.syscall(callState, Libc.SYS_OPENAT, AT_FDCWD, procPath.address(), 0 /* O_RDONLY */, 0, 0, 0);
        if (fd < 0) {
            return -1;
        }
        long n;
        try {
            n = Libc.syscall(callState, Libc.SYS_READ, fd, buffer.address(), 2 * PAGE, 0, 0, 0);
        } finally {
            Libc.syscall(callState, Libc.SYS_CLOSE, fd, 0, 0, 0, 0, 0);
        }
        for (int i = 0; i + 5 < n; i++) {
            if ((i == 0 || buffer.get(JAVA_BYTE, i - 1) == '\n') && buffer.get(JAVA_BYTE, i) == 'U'
                    && buffer.get(JAVA_BYTE, i + 1) == 'i' && buffer.get(JAVA_BYTE, i + 2) == 'd'
                    && buffer.get(JAVA_BYTE, i + 3) == ':') {
                int at = i + 4;
                while (at < n && (buffer.get(JAVA_BYTE, at) == '\t' || buffer.get(JAVA_BYTE, at) == ' ')) {
                    at++;
                }
                long uid = 0;
                boolean digits = false;
                while (at < n && buffer.get(JAVA_BYTE, at) >= '0' && buffer.get(JAVA_BYTE, at) <= '9') {
                    uid = uid * 10 + (buffer.get(JAVA_BYTE, at++) - '0');
                    digits = true;
                }
                return digits && uid <= Integer.MAX_VALUE ? (int) uid : -1;
            }
        }
        return -1;
    }
}
