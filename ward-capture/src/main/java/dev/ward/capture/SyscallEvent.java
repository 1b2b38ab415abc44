package dev.ward.capture;

import dev.ward.bindings.ProcFs;
import java.nio.charset.StandardCharsets;

/**
 * One trapped syscall at its entry, decoded. A flyweight owned by the tracer thread and reused for every
 * stop: valid only during {@link TraceListener#onSyscall}. Paths are absolute and lexically normalised
 * (resolved against the caller's cwd or the dirfd argument), kept as bytes.
 */
public final class SyscallEvent {
    public static final int O_ACCMODE = 3;
    public static final int O_CREAT = 0100;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;

    int tid;
    int tgid;
    boolean shared;
    Syscall syscall;
    final long[] args = new long[6];
    final byte[] path = new byte[ProcFs.PATH_MAX];
    int pathLength;
    int pathErrno;
    final byte[] path2 = new byte[ProcFs.PATH_MAX];
    int path2Length;
    long flags;
    final byte[] sockaddr = new byte[128];
    int sockaddrLength;

    final byte[] canonical = new byte[ProcFs.PATH_MAX];
    int canonicalLength = -1;
    /** Canonical directories (the tracer's); null: resolve every path in full. */
    DirCache dirs;
    /** The path as the workload wrote it had a ".." component. */
    boolean pathDotDot;
    /** {@link #path()} is byte for byte what the workload's memory holds (absolute, already normal). */
    boolean pathAsRead;
    /** The length of the path as the workload's memory holds it. */
    int rawLength;
    private final byte[] scratch = new byte[ProcFs.PATH_MAX + 64];

    /**
     * The first path with every symlink resolved, as the kernel will reach it: /proc/self and
     * /proc/thread-self are rewritten to this tracee's ids first, then realpath(3) runs in the agent,
     * which shares the workload's mount namespace. For a file that does not exist yet (O_CREAT), the
     * parent directory is resolved and the last component appended. Computed once per event, on
     * demand; returns its length, or -errno. See {@link #canonical()}.
     */
    public int canonicalPath() {
        if (canonicalLength != -1) {
            return canonicalLength;
        }
        canonicalLength = resolveCanonical();
        return canonicalLength;
    }

    /** The buffer {@link #canonicalPath()} filled. */
    public byte[] canonical() {
        return canonical;
    }

    private int resolveCanonical() {
        if (pathLength == 0) {
            return -dev.ward.bindings.Errno.ENOENT;
        }
        int n = rewriteProcSelf();
        int slash = n - 1;
        while (slash > 0 && scratch[slash] != '/') {
            slash--;
        }
        if (dirs != null && dirs.contains(scratch, n)) { // a file seen to be its own canonical form
            System.arraycopy(scratch, 0, canonical, 0, n);
            return n;
        }
        if (dirs != null && slash > 0 && dirs.contains(scratch, slash)) {
            int link = proc.isSymlink(scratch, n); // in a canonical directory: only the last name can be a link
            if (link == 0 || link == -dev.ward.bindings.Errno.ENOENT) {
                if (link == 0) {
                    dirs.add(scratch, n);
                }
                System.arraycopy(scratch, 0, canonical, 0, n);
                return n;
            }
        }
        int r = proc.realpath(scratch, n, canonical);
        if (r != -dev.ward.bindings.Errno.ENOENT) {
            if (dirs != null && r == n && slash > 0 && java.util.Arrays.equals(scratch, 0, n, canonical, 0, n)) {
                dirs.add(scratch, slash);
            }
            return r;
        }
        int parent = slash == 0 ? proc.realpath(new byte[] {'/'}, 1, canonical) : proc.realpath(scratch, slash, canonical);
        if (parent < 0 || parent + (n - slash) > canonical.length) {
            return parent < 0 ? parent : -dev.ward.bindings.Errno.ENAMETOOLONG;
        }
        int at = parent == 1 ? 0 : parent; // avoid "//name" under the root
        System.arraycopy(scratch, slash, canonical, at, n - slash);
        return at + (n - slash);
    }

    private static final byte[] PROC_SELF = "/proc/self".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROC_THREAD_SELF = "/proc/thread-self".getBytes(StandardCharsets.US_ASCII);

    /** Copies the path into scratch with /proc/self and /proc/thread-self made this tracee's. */
    private int rewriteProcSelf() {
        String replacement = null;
        int skip = 0;
        if (startsWithComponent(PROC_THREAD_SELF)) {
            replacement = "/proc/" + tgid + "/task/" + tid;
            skip = PROC_THREAD_SELF.length;
        } else if (startsWithComponent(PROC_SELF)) {
            replacement = "/proc/" + tgid;
            skip = PROC_SELF.length;
        }
        if (replacement == null) {
            System.arraycopy(path, 0, scratch, 0, pathLength);
            return pathLength;
        }
        byte[] rep = replacement.getBytes(StandardCharsets.US_ASCII);
        int rest = Math.min(pathLength - skip, scratch.length - rep.length);
        System.arraycopy(rep, 0, scratch, 0, rep.length);
        System.arraycopy(path, skip, scratch, rep.length, rest);
        return rep.length + rest;
    }

    private boolean startsWithComponent(byte[] prefix) {
        if (pathLength < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (path[i] != prefix[i]) {
                return false;
            }
        }
        return pathLength == prefix.length || path[prefix.length] == '/';
    }

    /** Set by the tracer: lets cold paths read more of the tracee's memory while the event is valid. */
    ProcFs proc;

    /**
     * Reads the argv of an execve/execveat at this stop (allocates: for reports only). At most
     * {@code max} arguments; unreadable ones end the list.
     */
    public java.util.List<String> readArgv(int max) {
        int argvArg = syscall.nr() == SyscallTable.NR_EXECVEAT ? 2 : 1;
        long argv = args[argvArg];
        java.util.List<String> out = new java.util.ArrayList<>();
        byte[] ptr = new byte[8];
        byte[] str = new byte[ProcFs.PATH_MAX];
        for (int i = 0; i < max && argv != 0; i++) {
            if (proc.read(tid, argv + 8L * i, ptr, 8) != 8) {
                break;
            }
            long p = Decoder.longAt(ptr, 0);
            if (p == 0) {
                break;
            }
            int n = proc.readString(tid, p, str);
            if (n < 0) {
                break;
            }
            out.add(new String(str, 0, n, StandardCharsets.UTF_8));
        }
        return out;
    }

    void reset(int tid, int tgid, Syscall syscall) {
        this.tid = tid;
        this.tgid = tgid;
        this.syscall = syscall;
        this.pathLength = 0;
        this.pathErrno = 0;
        this.canonicalLength = -1;
        this.pathDotDot = false;
        this.pathAsRead = false;
        this.rawLength = 0;
        this.path2Length = 0;
        this.flags = 0;
        this.sockaddrLength = 0;
    }

    /**
     * Whether another task shares this thread's descriptor table or memory (threads, CLONE_FILES, CLONE_VM):
     * such a task could race the path buffer or use a descriptor before the tracer revokes it.
     */
    public boolean shared() {
        return shared;
    }

    public int tid() {
        return tid;
    }

    public int tgid() {
        return tgid;
    }

    public Syscall syscall() {
        return syscall;
    }

    public long arg(int i) {
        return args[i];
    }

    /** The first path, absolute; its length is {@link #pathLength()} (0 when the call has none). */
    public byte[] path() {
        return path;
    }

    public int pathLength() {
        return pathLength;
    }

    /** Non-zero when the path argument could not be read (e.g. EFAULT). */
    /** Whether the path as written had a ".." component (then {@link #path()} is a lexical reading of it). */
    public boolean pathDotDot() {
        return pathDotDot;
    }

    /** Whether {@link #path()} is byte for byte what the workload's memory holds (then {@link #rawLength()} long). */
    public boolean pathAsRead() {
        return pathAsRead;
    }

    public int rawLength() {
        return rawLength;
    }

    public int pathErrno() {
        return pathErrno;
    }

    /** The second path (rename/link destination, symlink name), absolute. */
    public byte[] path2() {
        return path2;
    }

    public int path2Length() {
        return path2Length;
    }

    /** Open flags (open, openat, openat2's open_how.flags, execveat's flags). */
    public long flags() {
        return flags;
    }

    /** The socket address of connect/bind, raw {@code struct sockaddr} bytes. */
    public byte[] sockaddr() {
        return sockaddr;
    }

    public int sockaddrLength() {
        return sockaddrLength;
    }

    /** Whether the operation may modify the file: write access, create, truncate, or a modifying family. */
    public boolean writes() {
        if (syscall.family() == Family.FILE_MODIFY) {
            return true;
        }
        if (syscall.nr() == SyscallTable.NR_CREAT) {
            return true;
        }
        return (flags & O_ACCMODE) != 0 || (flags & (O_CREAT | O_TRUNC | O_APPEND)) != 0;
    }

    /** For cold paths and tests: the path as a String (allocates). */
    public String pathString() {
        return new String(path, 0, pathLength, StandardCharsets.UTF_8);
    }

    public String path2String() {
        return new String(path2, 0, path2Length, StandardCharsets.UTF_8);
    }
}
