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

    private static final int MAX_NR = 512;
    private static final Syscall[] BY_NR = new Syscall[MAX_NR];
    private static final List<Syscall> ROWS = new ArrayList<>();

    static {
        // nr, name, family, dirfd, path, dirfd2, path2, flags
        row(59, "execve", Family.EXEC, -1, 0, -1, -1, -1);
        row(322, "execveat", Family.EXEC, 0, 1, -1, -1, 4);
        row(2, "open", Family.OPEN, -1, 0, -1, -1, 1);
        row(257, "openat", Family.OPEN, 0, 1, -1, -1, 2);
        row(437, "openat2", Family.OPEN, 0, 1, -1, -1, -1); // flags live in struct open_how (arg 2)
        row(85, "creat", Family.OPEN, -1, 0, -1, -1, -1);
        row(87, "unlink", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row(263, "unlinkat", Family.FILE_MODIFY, 0, 1, -1, -1, -1);
        row(82, "rename", Family.FILE_MODIFY, -1, 0, -1, 1, -1);
        row(264, "renameat", Family.FILE_MODIFY, 0, 1, 2, 3, -1);
        row(316, "renameat2", Family.FILE_MODIFY, 0, 1, 2, 3, -1);
        row(86, "link", Family.FILE_MODIFY, -1, 0, -1, 1, -1);
        row(265, "linkat", Family.FILE_MODIFY, 0, 1, 2, 3, -1);
        row(88, "symlink", Family.FILE_MODIFY, -1, -1, -1, 1, -1);   // the target string is not a file access
        row(266, "symlinkat", Family.FILE_MODIFY, -1, -1, 1, 2, -1);
        row(90, "chmod", Family.FILE_MODIFY, -1, 0, -1, -1, -1);
        row(91, "fchmod", Family.FILE_MODIFY, -1, -1, -1, -1, -1);
        row(268, "fchmodat", Family.FILE_MODIFY, 0, 1, -1, -1, -1);
        row(452, "fchmodat2", Family.FILE_MODIFY, 0, 1, -1, -1, -1);
        row(41, "socket", Family.NETWORK, -1, -1, -1, -1, -1);
        row(42, "connect", Family.NETWORK, -1, -1, -1, -1, -1);
        row(49, "bind", Family.NETWORK, -1, -1, -1, -1, -1);
        row(50, "listen", Family.NETWORK, -1, -1, -1, -1, -1);
        row(43, "accept", Family.NETWORK, -1, -1, -1, -1, -1);
        row(288, "accept4", Family.NETWORK, -1, -1, -1, -1, -1);
        row(101, "ptrace", Family.TAKEOVER, -1, -1, -1, -1, -1);
        // Calls that need a capability: rare in steady state, trapped so capabilities and syscalls
        // rules see them.
        row(92, "chown", Family.PRIVILEGED, -1, 0, -1, -1, -1);
        row(93, "fchown", Family.PRIVILEGED, -1, -1, -1, -1, -1);
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
        row(161, "chroot", Family.PRIVILEGED, -1, 0, -1, -1, -1);
        row(165, "mount", Family.PRIVILEGED, -1, -1, -1, 1, -1);
        row(166, "umount2", Family.PRIVILEGED, -1, 0, -1, -1, -1);
        row(155, "pivot_root", Family.PRIVILEGED, -1, 0, -1, 1, -1);
        row(272, "unshare", Family.PRIVILEGED, -1, -1, -1, -1, -1);
        row(308, "setns", Family.PRIVILEGED, -1, -1, -1, -1, -1);
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

    /** The row for {@code nr}, or null if Ward does not trap it. */
    public static Syscall byNr(long nr) {
        return nr >= 0 && nr < MAX_NR ? BY_NR[(int) nr] : null;
    }

    /** Every trapped syscall, in table order. */
    public static List<Syscall> trapped() {
        return List.copyOf(ROWS);
    }

    /** Syscalls denied in the filter itself, never reaching the tracer. */
    public static int[] deniedOutright() {
        // io_uring submits file and network operations from a kernel context that syscall
        // interception never sees; allowing it would bypass every rule.
        return new int[] {NR_IO_URING_SETUP};
    }
}
