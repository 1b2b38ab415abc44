package dev.ward.capture;

import dev.ward.bindings.Arch;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of trapped syscalls, by name: the numbers are this machine's ({@link Arch#CURRENT}), and a call the
 * architecture lacks has no row (its {@code NR_} constant is -1, which no syscall has). Everything not listed runs
 * at native speed: the seccomp filter answers ALLOW for it, which the kernel caches per syscall number.
 */
public final class SyscallTable {
    public static final int AT_FDCWD = -100;
    private static final Arch ARCH = Arch.CURRENT;
    public static final int NR_FCHDIR = ARCH.nr("fchdir");
    public static final int NR_CHDIR = ARCH.nr("chdir");
    public static final int NR_SETUID = ARCH.nr("setuid");
    public static final int NR_SETREUID = ARCH.nr("setreuid");
    public static final int NR_SETRESUID = ARCH.nr("setresuid");
    public static final int NR_IO_URING_SETUP = ARCH.nr("io_uring_setup");
    public static final int NR_CLONE = ARCH.nr("clone");
    public static final int NR_CLONE3 = ARCH.nr("clone3");
    public static final int NR_SECCOMP = ARCH.nr("seccomp");
    public static final int NR_OPEN = ARCH.nr("open");
    public static final int NR_OPENAT = ARCH.nr("openat");
    public static final int NR_SOCKET = ARCH.nr("socket");
    public static final int NR_CONNECT = ARCH.nr("connect");
    public static final int NR_BIND = ARCH.nr("bind");
    public static final int NR_GETPEERNAME = ARCH.nr("getpeername");
    public static final int NR_ACCEPT = ARCH.nr("accept");
    public static final int NR_ACCEPT4 = ARCH.nr("accept4");
    public static final int NR_PTRACE = ARCH.nr("ptrace");
    public static final int NR_CREAT = ARCH.nr("creat");
    public static final int NR_RENAME = ARCH.nr("rename");
    public static final int NR_RENAMEAT = ARCH.nr("renameat");
    public static final int NR_RENAMEAT2 = ARCH.nr("renameat2");
    public static final int NR_FCHMOD = ARCH.nr("fchmod");
    public static final int NR_FCHOWN = ARCH.nr("fchown");
    public static final int NR_FSETXATTR = ARCH.nr("fsetxattr");
    public static final int NR_FREMOVEXATTR = ARCH.nr("fremovexattr");
    public static final int NR_UTIMENSAT = ARCH.nr("utimensat");
    public static final int NR_EXECVEAT = ARCH.nr("execveat");
    public static final int NR_OPENAT2 = ARCH.nr("openat2");
    public static final int NR_PIDFD_GETFD = ARCH.nr("pidfd_getfd");
    public static final int NR_USERFAULTFD = ARCH.nr("userfaultfd");
    public static final int NR_OPEN_TREE = ARCH.nr("open_tree");
    public static final int NR_OPEN_BY_HANDLE_AT = ARCH.nr("open_by_handle_at");
    public static final int NR_UNLINK = ARCH.nr("unlink");
    public static final int NR_UNLINKAT = ARCH.nr("unlinkat");
    public static final int NR_LINK = ARCH.nr("link");
    public static final int NR_LINKAT = ARCH.nr("linkat");
    public static final int NR_SYMLINK = ARCH.nr("symlink");
    public static final int NR_SYMLINKAT = ARCH.nr("symlinkat");

    private static final int MAX_NR = 512;
    private static final Syscall[] BY_NR = new Syscall[MAX_NR];
    private static final List<Syscall> ROWS = new ArrayList<>();

    static {
        // name, family, dirfd, path, dirfd2, path2, flags
        row("execve", Family.EXEC, -1, 0, -1, -1, -1);
        row("execveat", Family.EXEC, 0, 1, -1, -1, 4);
        row("open", Family.OPEN, -1, 0, -1, -1, 1);
        row("openat", Family.OPEN, 0, 1, -1, -1, 2);
        row("openat2", Family.OPEN, 0, 1, -1, -1, -1); // flags live in struct open_how (arg 2)
        row("creat", Family.OPEN, -1, 0, -1, -1, -1);
        // A file handle names no path: the file reached is decided at exit, on the descriptor.
        row("open_by_handle_at", Family.OPEN, -1, -1, -1, -1, 2);
        row("unlink", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row("unlinkat", Family.FILE_MODIFY, 0, 1, -1, -1, -1);
        row("rename", Family.FILE_MODIFY, -1, 0, -1, 1, -1);
        row("renameat", Family.FILE_MODIFY, 0, 1, 2, 3, -1);
        row("renameat2", Family.FILE_MODIFY, 0, 1, 2, 3, -1);
        row("link", Family.FILE_MODIFY, -1, 0, -1, 1, -1);
        row("linkat", Family.FILE_MODIFY, 0, 1, 2, 3, -1);
        row("symlink", Family.FILE_MODIFY, -1, -1, -1, 1, -1);   // the target string is not a file access
        row("symlinkat", Family.FILE_MODIFY, -1, -1, 1, 2, -1);
        row("chmod", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row("fchmod", Family.FILE_MODIFY, -1, -1, -1, -1, -1);
        row("fchmodat", Family.FILE_MODIFY, 0, 1, -1, -1, -1);
        row("fchmodat2", Family.FILE_MODIFY, 0, 1, -1, -1, -1);
        // Content and metadata changes without an open: a truncate empties the file, times and extended
        // attributes (security.capability among them) are its metadata.
        row("truncate", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row("utime", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row("utimes", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row("futimesat", Family.FILE_MODIFY, 0, 1, -1, -1, -1);
        row("utimensat", Family.FILE_MODIFY, 0, 1, -1, -1, -1);  // a NULL path names the dirfd itself
        row("setxattr", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row("lsetxattr", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row("fsetxattr", Family.FILE_MODIFY, -1, -1, -1, -1, -1);
        row("removexattr", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row("lremovexattr", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row("fremovexattr", Family.FILE_MODIFY, -1, -1, -1, -1, -1);
        row("socket", Family.NETWORK, -1, -1, -1, -1, -1);
        row("connect", Family.NETWORK, -1, -1, -1, -1, -1);
        row("bind", Family.NETWORK, -1, -1, -1, -1, -1);
        row("listen", Family.NETWORK, -1, -1, -1, -1, -1);
        row("accept", Family.NETWORK, -1, -1, -1, -1, -1);
        row("accept4", Family.NETWORK, -1, -1, -1, -1, -1);
        row("getpeername", Family.MESH, -1, -1, -1, -1, -1);
        row("ptrace", Family.TAKEOVER, -1, -1, -1, -1, -1);
        // Only its CLONE_UNTRACED form stops in the tracer (the filter looks at the flags): see Filters.
        row("clone", Family.TAKEOVER, -1, -1, -1, -1, -1);
        row("process_vm_readv", Family.TAKEOVER, -1, -1, -1, -1, -1);
        row("pidfd_getfd", Family.TAKEOVER, -1, -1, -1, -1, -1);
        // A filter of the workload's own with a listener outranks Ward's RET_TRACE (its notifier could let
        // calls run unseen); other filters only ever refuse more.
        row("seccomp", Family.TAKEOVER, -1, -1, -1, -1, -1);
        // Mount table, root and mount namespace: what a path names.
        row("mount", Family.MOUNT, -1, 0, -1, 1, -1);
        row("umount2", Family.MOUNT, -1, 0, -1, -1, -1);
        row("pivot_root", Family.MOUNT, -1, 0, -1, 1, -1);
        row("chroot", Family.MOUNT, -1, 0, -1, -1, -1);
        row("setns", Family.MOUNT, -1, -1, -1, -1, -1);
        row("open_tree", Family.MOUNT, 0, 1, -1, -1, -1);
        row("move_mount", Family.MOUNT, 0, 1, 2, 3, -1);
        row("fsopen", Family.MOUNT, -1, -1, -1, -1, -1);
        row("fsmount", Family.MOUNT, -1, -1, -1, -1, -1);
        row("fspick", Family.MOUNT, 0, 1, -1, -1, -1);
        row("mount_setattr", Family.MOUNT, 0, 1, -1, -1, -1);
        row("fanotify_init", Family.MOUNT, -1, -1, -1, -1, -1); // hands its reader descriptors of others' files
        // Calls that need a capability: rare in steady state, trapped so capabilities and syscalls
        // rules see them.
        row("chown", Family.PRIVILEGED, -1, 0, -1, -1, -1);
        row("fchown", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("lchown", Family.PRIVILEGED, -1, 0, -1, -1, -1);
        row("fchownat", Family.PRIVILEGED, 0, 1, -1, -1, -1);
        row("setuid", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("setgid", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("setreuid", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("setregid", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("setgroups", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("setresuid", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("setresgid", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("capset", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("mknod", Family.PRIVILEGED, -1, 0, -1, -1, -1);
        row("mknodat", Family.PRIVILEGED, 0, 1, -1, -1, -1);
        row("unshare", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("sethostname", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("init_module", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("finit_module", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("delete_module", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("reboot", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("kexec_load", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("kexec_file_load", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("settimeofday", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("clock_settime", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("adjtimex", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("iopl", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("ioperm", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("bpf", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("perf_event_open", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row("process_vm_writev", Family.TAKEOVER, -1, -1, -1, -1, -1);
    }

    private SyscallTable() {
    }

    /** A row, unless this architecture lacks the call (arm64 has no open, rename, chmod ...). */
    private static void row(String name, Family family, int dirfd, int path, int dirfd2, int path2, int flags) {
        int nr = ARCH.nr(name);
        if (nr < 0) {
            return;
        }
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

    /**
     * Whether the call changes a thread's cwd (chdir, fchdir) or its real uid (setuid, setreuid, setresuid; an
     * execve never does): {@link Family#CWD_UID}. The filter denies the 32-bit ABIs' forms outright.
     */
    public static boolean changesCwdOrUid(long nr) {
        return nr >= 0 && (nr == NR_CHDIR || nr == NR_FCHDIR || changesUid(nr));
    }

    /** Whether the call changes a thread's real uid: setuid, setreuid, setresuid. */
    public static boolean changesUid(long nr) {
        return nr >= 0 && (nr == NR_SETUID || nr == NR_SETREUID || nr == NR_SETRESUID);
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
