package dev.ward.capture;

import dev.ward.bindings.Arch;
import dev.ward.bindings.Errno;
import dev.ward.bindings.Seccomp;

/**
 * The two seccomp programs Ward installs on the spawner thread, which the workload inherits.
 *
 * <p>{@link #gate(int)} is installed first, with a user-notification listener. It stops exactly one
 * call, {@code fchdir(gateFd)}, which posix_spawn makes in the child before anything else: the agent
 * receives the child's pid from the listener, PTRACE_SEIZEs it, and only then lets it go on. Without the
 * gate, the child's first trapped syscall (its execve) would run before any tracer is attached, and
 * seccomp answers RET_TRACE without a tracer with ENOSYS.
 *
 * <p>{@link #main()} traps the table's syscalls for the tracer and denies io_uring, userfaultfd, untraced
 * clones and foreign ABIs outright (x86_64: i386 and x32; aarch64: 32-bit arm; {@link Arch#foreignAuditArches}, and
 * any arch but the native one). Untrapped syscalls return ALLOW on a path that depends only on arch and number, so the
 * kernel's per-syscall action cache lets them run at native speed.
 */
public final class Filters {
    /** seccomp_data.arch of this machine's native ABI (AUDIT_ARCH_X86_64, AUDIT_ARCH_AARCH64). */
    public static final int AUDIT_ARCH = Arch.CURRENT.auditArch();

    private static final int OFF_NR = 0;
    private static final int OFF_ARCH = 4;
    private static final int OFF_ARG0_LO = 16;
    private static final int OFF_ARG0_HI = 20;
    /**
     * Open flags that may change a file: O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND (O_TMPFILE needs write
     * access too). An open without any of them only reads.
     */
    static final int OPEN_WRITE_FLAGS = 01 | 02 | 0100 | 01000 | 02000;
    private static final int OFF_ARG1_LO = 24;
    private static final int OFF_ARG2_LO = 32;
    /** clone(2)'s flag that keeps the child from being auto-attached: the one way out of the tracer. */
    static final int CLONE_UNTRACED = 0x00800000;

    private Filters() {
    }

    /** See the class comment: user-notify {@code fchdir(gateFd)}, allow everything else. */
    public static byte[] gate(int gateFd) {
        return new Bpf()
                .load(OFF_ARCH, "arch")
                .jumpIfEqual(AUDIT_ARCH, null, "allow")
                .load(OFF_NR, "nr")
                .jumpIfEqual(SyscallTable.NR_FCHDIR, null, "allow")
                .load(OFF_ARG0_LO, "fd, low word")
                .jumpIfEqual(gateFd, null, "allow")
                .load(OFF_ARG0_HI, "fd, high word")
                .jumpIfEqual(0, "notify", "allow")
                .label("notify").ret(Seccomp.RET_USER_NOTIF)
                .label("allow").ret(Seccomp.RET_ALLOW)
                .assemble();
    }

    /**
     * See the class comment: trace all the table's syscalls (not {@link Family#CWD_UID}'s chdir and fchdir), deny
     * io_uring and non-native ABIs.
     */
    public static byte[] main() {
        return main(java.util.EnumSet.complementOf(java.util.EnumSet.of(Family.CWD_UID)));
    }

    /**
     * Like {@link #main()}, tracing only the rows of these families (and always those of
     * {@link #alwaysTrapped}: the calls that could detach, look into or write into a traced process, change what
     * a path names or change a file, and every open that may write). The rest run untraced at native speed: a filter cannot be loosened or tightened
     * after the workload started, so this is fixed for its life.
     *
     * <p>clone with CLONE_UNTRACED stops in the tracer, which refuses and reports it; the filter tells it
     * from other clones by its flags register (clone3, whose flags are in memory, answers ENOSYS so that the
     * C library falls back to clone). This is the only rule that looks at an
     * argument, so only clone loses the kernel's per-number action cache.
     */
    public static byte[] main(java.util.Set<Family> families) {
        Bpf bpf = new Bpf().load(OFF_ARCH, "arch");
        for (int foreign : Arch.CURRENT.foreignAuditArches()) {
            bpf.jumpIfEqual(foreign, "deny", null);
        }
        bpf.jumpIfEqual(AUDIT_ARCH, null, "deny").load(OFF_NR, "nr");
        if (Arch.CURRENT.foreignNrBit() != 0) {
            bpf.jumpIfAtLeast(Arch.CURRENT.foreignNrBit(), "deny", null);
        }
        for (int nr : SyscallTable.deniedOutright()) {
            bpf.jumpIfEqual(nr, "deny", null);
        }
        for (int nr : SyscallTable.absent()) {
            bpf.jumpIfEqual(nr, "nosys", null);
        }
        bpf.jumpIfEqual(SyscallTable.NR_CLONE, "clone", null);
        boolean allOpens = families.contains(Family.OPEN);
        if (!allOpens) {
            // Without the file operation, only opens that may change a file stop (the agent's own files are
            // protected whatever the policies); reads run at native speed.
            if (SyscallTable.NR_OPEN >= 0) { // aarch64 has no open
                bpf.jumpIfEqual(SyscallTable.NR_OPEN, "open flags", null);
            }
            bpf.jumpIfEqual(SyscallTable.NR_OPENAT, "openat flags", null);
        }
        for (Syscall s : SyscallTable.trapped()) {
            if (s.nr() == SyscallTable.NR_CLONE || !allOpens && (s.nr() == SyscallTable.NR_OPEN
                    || s.nr() == SyscallTable.NR_OPENAT)) {
                continue;
            }
            if (families.contains(s.family()) || alwaysTrapped(s.family()) || s.family() == Family.OPEN
                    || extra(families, s.nr())) {
                bpf.jumpIfEqual(s.nr(), "trace", null);
            }
        }
        traceCwdChanges(bpf, families);
        bpf.ret(Seccomp.RET_ALLOW);
        if (!allOpens && SyscallTable.NR_OPEN >= 0) {
            bpf.label("open flags").load(OFF_ARG1_LO, "open flags")
                    .jumpIfAnySet(OPEN_WRITE_FLAGS, "trace", null)
                    .ret(Seccomp.RET_ALLOW);
        }
        if (!allOpens) {
            bpf.label("openat flags").load(OFF_ARG2_LO, "openat flags")
                    .jumpIfAnySet(OPEN_WRITE_FLAGS, "trace", null)
                    .ret(Seccomp.RET_ALLOW);
        }
        return bpf.label("clone").load(OFF_ARG0_LO, "clone flags, low word")
                .jumpIfAnySet(CLONE_UNTRACED, "trace", null)
                .ret(Seccomp.RET_ALLOW)
                .label("trace").ret(Seccomp.RET_TRACE)
                .label("deny").ret(Seccomp.RET_ERRNO | Errno.EACCES)
                .label("nosys").ret(Seccomp.RET_ERRNO | Errno.ENOSYS)
                .assemble();
    }

    /**
     * A filter stacked onto a running workload (see {@link Supervisor#widen}) that also traces the rows of
     * {@code families}. The kernel runs every filter of a thread and takes the strictest answer, so this one
     * only needs to say TRACE where the first said ALLOW: everything else (foreign ABIs, denied calls) it
     * allows and leaves to the first.
     */
    public static byte[] widening(java.util.Set<Family> families) {
        Bpf bpf = new Bpf()
                .load(OFF_ARCH, "arch")
                .jumpIfEqual(AUDIT_ARCH, null, "allow")
                .load(OFF_NR, "nr");
        for (Syscall s : SyscallTable.trapped()) {
            if ((families.contains(s.family()) || extra(families, s.nr())) && s.nr() != SyscallTable.NR_CLONE) {
                bpf.jumpIfEqual(s.nr(), "trace", null);
            }
        }
        traceCwdChanges(bpf, families);
        return bpf.label("allow").ret(Seccomp.RET_ALLOW)
                .label("trace").ret(Seccomp.RET_TRACE)
                .assemble();
    }

    /** Whether a row is trapped for a family of {@code families} that takes rows of others: MESH's, CWD_UID's. */
    private static boolean extra(java.util.Set<Family> families, int nr) {
        return families.contains(Family.MESH) && SyscallTable.forMesh(nr)
                || families.contains(Family.MESH_INBOUND) && SyscallTable.forMeshInbound(nr)
                || families.contains(Family.CWD_UID) && SyscallTable.changesCwdOrUid(nr);
    }

    /** chdir and fchdir, which have no row, for {@link Family#CWD_UID}. */
    private static void traceCwdChanges(Bpf bpf, java.util.Set<Family> families) {
        if (families.contains(Family.CWD_UID)) {
            bpf.jumpIfEqual(SyscallTable.NR_CHDIR, "trace", null).jumpIfEqual(SyscallTable.NR_FCHDIR, "trace", null);
        }
    }

    /**
     * Families trapped whatever the --trap setting: self-protection, the file view, and the calls that change
     * files (rare, and a write to one of the agent's files must be decided). Opens that may write are always
     * trapped too; read-only opens only with {@link Family#OPEN}.
     */
    public static boolean alwaysTrapped(Family f) {
        return f == Family.TAKEOVER || f == Family.MOUNT || f == Family.FILE_MODIFY;
    }
}
