package dev.ward.capture;

import java.util.ArrayList;
import java.util.List;

/**
 * The x86_64 table of trapped syscalls. Everything not listed runs at native speed: the seccomp filter
 * answers ALLOW for it, which the kernel caches per syscall number.
 */
public final class SyscallTable {
    public static final int AT_FDCWD = -100;
    public static final int NR_FCHDIR = 81;
    public static final int NR_IO_URING_SETUP = 425;
    public static final int NR_CLONE = 56;
    public static final int NR_CLONE3 = 435;
    public static final int NR_SECCOMP = 317;
    public static final int NR_OPEN = 2;
    public static final int NR_OPENAT = 257;
    public static final int NR_SOCKET = 41;
    public static final int NR_CONNECT = 42;
    public static final int NR_BIND = 49;
    public static final int NR_GETPEERNAME = 52;
    public static final int NR_ACCEPT = 43;
    public static final int NR_ACCEPT4 = 288;
    public static final int NR_PTRACE = 101;
    public static final int NR_CREAT = 85;
    public static final int NR_RENAME = 82;
    public static final int NR_RENAMEAT = 264;
    public static final int NR_RENAMEAT2 = 316;
    public static final int NR_FCHMOD = 91;
    public static final int NR_FCHOWN = 93;
    public static final int NR_FSETXATTR = 190;
    public static final int NR_FREMOVEXATTR = 199;
    public static final int NR_UTIMENSAT = 280;
    public static final int NR_EXECVEAT = 322;
    public static final int NR_OPENAT2 = 437;
    public static final int NR_PIDFD_GETFD = 438;
    public static final int NR_USERFAULTFD = 323;
    public static final int NR_OPEN_TREE = 428;
    public static final int NR_OPEN_BY_HANDLE_AT = 304;
    public static final int NR_UNLINK = 87;
    public static final int NR_UNLINKAT = 263;
    public static final int NR_LINK = 86;
    public static final int NR_LINKAT = 265;
    public static final int NR_SYMLINK = 88;
    public static final int NR_SYMLINKAT = 266;

    private static final int MAX_NR = 512;
    private static final Syscall[] BY_NR = new Syscall[MAX_NR];
    private static final List<Syscall> ROWS = new ArrayList<>();

    static {
        // nr, name, family, dirfd, path, dirfd2, path2, flags
        row(59, "execve", Family.EXEC, -1, 0, -1, -1, -1);
        row(NR_EXECVEAT, "execveat", Family.EXEC, 0, 1, -1, -1, 4);
        row(NR_OPEN, "open", Family.OPEN, -1, 0, -1, -1, 1);
        row(NR_OPENAT, "openat", Family.OPEN, 0, 1, -1, -1, 2);
        row(NR_OPENAT2, "openat2", Family.OPEN, 0, 1, -1, -1, -1); // flags live in struct open_how (arg 2)
        row(NR_CREAT, "creat", Family.OPEN, -1, 0, -1, -1, -1);
        // A file handle names no path: the file reached is decided at exit, on the descriptor.
        row(NR_OPEN_BY_HANDLE_AT, "open_by_handle_at", Family.OPEN, -1, -1, -1, -1, 2);
        row(NR_UNLINK, "unlink", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row(NR_UNLINKAT, "unlinkat", Family.FILE_MODIFY, 0, 1, -1, -1, -1);
        row(NR_RENAME, "rename", Family.FILE_MODIFY, -1, 0, -1, 1, -1);
        row(NR_RENAMEAT, "renameat", Family.FILE_MODIFY, 0, 1, 2, 3, -1);
        row(NR_RENAMEAT2, "renameat2", Family.FILE_MODIFY, 0, 1, 2, 3, -1);
        row(NR_LINK, "link", Family.FILE_MODIFY, -1, 0, -1, 1, -1);
        row(NR_LINKAT, "linkat", Family.FILE_MODIFY, 0, 1, 2, 3, -1);
        row(NR_SYMLINK, "symlink", Family.FILE_MODIFY, -1, -1, -1, 1, -1);   // the target string is not a file access
        row(NR_SYMLINKAT, "symlinkat", Family.FILE_MODIFY, -1, -1, 1, 2, -1);
        row(90, "chmod", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row(NR_FCHMOD, "fchmod", Family.FILE_MODIFY, -1, -1, -1, -1, -1);
        row(268, "fchmodat", Family.FILE_MODIFY, 0, 1, -1, -1, -1);
        row(452, "fchmodat2", Family.FILE_MODIFY, 0, 1, -1, -1, -1);
        // Content and metadata changes without an open: a truncate empties the file, times and extended
        // attributes (security.capability among them) are its metadata.
        row(76, "truncate", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row(132, "utime", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row(235, "utimes", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row(261, "futimesat", Family.FILE_MODIFY, 0, 1, -1, -1, -1);
        row(NR_UTIMENSAT, "utimensat", Family.FILE_MODIFY, 0, 1, -1, -1, -1);  // a NULL path names the dirfd itself
        row(188, "setxattr", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row(189, "lsetxattr", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row(NR_FSETXATTR, "fsetxattr", Family.FILE_MODIFY, -1, -1, -1, -1, -1);
        row(197, "removexattr", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row(198, "lremovexattr", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row(NR_FREMOVEXATTR, "fremovexattr", Family.FILE_MODIFY, -1, -1, -1, -1, -1);
        row(NR_SOCKET, "socket", Family.NETWORK, -1, -1, -1, -1, -1);
        row(NR_CONNECT, "connect", Family.NETWORK, -1, -1, -1, -1, -1);
        row(NR_BIND, "bind", Family.NETWORK, -1, -1, -1, -1, -1);
        row(50, "listen", Family.NETWORK, -1, -1, -1, -1, -1);
        row(NR_ACCEPT, "accept", Family.NETWORK, -1, -1, -1, -1, -1);
        row(NR_ACCEPT4, "accept4", Family.NETWORK, -1, -1, -1, -1, -1);
        row(NR_GETPEERNAME, "getpeername", Family.MESH, -1, -1, -1, -1, -1);
        row(NR_PTRACE, "ptrace", Family.TAKEOVER, -1, -1, -1, -1, -1);
        // Only its CLONE_UNTRACED form stops in the tracer (the filter looks at the flags): see Filters.
        row(NR_CLONE, "clone", Family.TAKEOVER, -1, -1, -1, -1, -1);
        row(310, "process_vm_readv", Family.TAKEOVER, -1, -1, -1, -1, -1);
        row(NR_PIDFD_GETFD, "pidfd_getfd", Family.TAKEOVER, -1, -1, -1, -1, -1);
        // A filter of the workload's own with a listener outranks Ward's RET_TRACE (its notifier could let
        // calls run unseen); other filters only ever refuse more.
        row(NR_SECCOMP, "seccomp", Family.TAKEOVER, -1, -1, -1, -1, -1);
        // Mount table, root and mount namespace: what a path names.
        row(165, "mount", Family.MOUNT, -1, 0, -1, 1, -1);
        row(166, "umount2", Family.MOUNT, -1, 0, -1, -1, -1);
        row(155, "pivot_root", Family.MOUNT, -1, 0, -1, 1, -1);
        row(161, "chroot", Family.MOUNT, -1, 0, -1, -1, -1);
        row(308, "setns", Family.MOUNT, -1, -1, -1, -1, -1);
        row(NR_OPEN_TREE, "open_tree", Family.MOUNT, 0, 1, -1, -1, -1);
        row(429, "move_mount", Family.MOUNT, 0, 1, 2, 3, -1);
        row(430, "fsopen", Family.MOUNT, -1, -1, -1, -1, -1);
        row(432, "fsmount", Family.MOUNT, -1, -1, -1, -1, -1);
        row(433, "fspick", Family.MOUNT, 0, 1, -1, -1, -1);
        row(442, "mount_setattr", Family.MOUNT, 0, 1, -1, -1, -1);
        row(300, "fanotify_init", Family.MOUNT, -1, -1, -1, -1, -1); // hands its reader descriptors of others' files
        // Calls that need a capability: rare in steady state, trapped so capabilities and syscalls
        // rules see them.
        row(92, "chown", Family.PRIVILEGED, -1, 0, -1, -1, -1);
        row(NR_FCHOWN, "fchown", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(94, "lchown", Family.PRIVILEGED, -1, 0, -1, -1, -1);
        row(260, "fchownat", Family.PRIVILEGED, 0, 1, -1, -1, -1);
        row(105, "setuid", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(106, "setgid", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(113, "setreuid", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(114, "setregid", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(116, "setgroups", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(117, "setresuid", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(119, "setresgid", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(126, "capset", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(133, "mknod", Family.PRIVILEGED, -1, 0, -1, -1, -1);
        row(259, "mknodat", Family.PRIVILEGED, 0, 1, -1, -1, -1);
        row(272, "unshare", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(170, "sethostname", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(175, "init_module", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(313, "finit_module", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(176, "delete_module", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(169, "reboot", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(246, "kexec_load", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(320, "kexec_file_load", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(164, "settimeofday", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(227, "clock_settime", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(159, "adjtimex", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(172, "iopl", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(173, "ioperm", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(321, "bpf", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(298, "perf_event_open", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(311, "process_vm_writev", Family.TAKEOVER, -1, -1, -1, -1, -1);
    }

    private SyscallTable() {
    }

    private static void row(int nr, String name, Family family, int dirfd, int path, int dirfd2, int path2, int flags) {
        Syscall s = new Syscall(nr, name, family, dirfd, path, dirfd2, path2, flags);
        BY_NR[nr] = s;
        ROWS.add(s);
    }

    /** Whether the call's first argument is a descriptor naming the file it changes (fchmod, fchown, f*xattr). */
    public static boolean namesFileByFd(int nr) {
        return nr == NR_FCHMOD || nr == NR_FCHOWN || nr == NR_FSETXATTR || nr == NR_FREMOVEXATTR;
    }

    /** Whether the mesh capture works on this call: trapped, when the capture is on, whatever else is. */
    public static boolean forMesh(int nr) {
        return nr == NR_CONNECT || nr == NR_BIND || nr == NR_GETPEERNAME;
    }

    /** Whether strict inbound works on this call ({@link Family#MESH_INBOUND}): trapped when it is on. */
    public static boolean forMeshInbound(int nr) {
        return nr == NR_ACCEPT || nr == NR_ACCEPT4;
    }

    /**
     * Whether the call can make an existing path lead elsewhere: renames, links, symlinks, unlinks (which free
     * a name for one), and the mount family. What a path names changes through these only.
     */
    public static boolean changesNames(Syscall s) {
        int nr = s.nr();
        return s.family() == Family.MOUNT || isRename(nr) || nr == NR_UNLINK || nr == NR_UNLINKAT || nr == NR_LINK
                || nr == NR_LINKAT || nr == NR_SYMLINK || nr == NR_SYMLINKAT;
    }

    public static boolean isRename(int nr) {
        return nr == NR_RENAME || nr == NR_RENAMEAT || nr == NR_RENAMEAT2;
    }

    /** The row for {@code nr}, or null if Ward does not trap it. */
    public static Syscall byNr(long nr) {
        return nr >= 0 && nr < MAX_NR ? BY_NR[(int) nr] : null;
    }

    /** Every trapped syscall, in table order. */
    public static List<Syscall> trapped() {
        return List.copyOf(ROWS);
    }

    /** Syscalls denied (EACCES) in the filter itself, never reaching the tracer. */
    public static int[] deniedOutright() {
        // io_uring submits file and network operations from a kernel context that syscall
        // interception never sees; allowing it would bypass every rule. userfaultfd lets a process pause
        // the kernel in the middle of copying a syscall's arguments, which turns every check-then-use
        // window into one it controls.
        return new int[] {NR_IO_URING_SETUP, NR_USERFAULTFD};
    }

    /**
     * Syscalls the filter answers ENOSYS, as a kernel without them would: C libraries fall back to an
     * older call the filter can check. clone3 passes its flags in memory, where a filter cannot look for
     * CLONE_UNTRACED; clone passes them in a register (see {@link Filters#main}).
     */
    public static int[] absent() {
        return new int[] {NR_CLONE3};
    }
}
