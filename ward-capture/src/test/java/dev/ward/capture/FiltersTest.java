package dev.ward.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.bindings.Arch;
import dev.ward.bindings.Errno;
import dev.ward.bindings.Seccomp;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The seccomp programs, run through a small classic-BPF interpreter over synthetic seccomp_data: what
 * the kernel would answer for each (arch, nr, arg0).
 */
class FiltersTest {
    private static final Arch ARCH = Arch.CURRENT;

    /** Executes {@code program} (sock_filter entries) on {@code struct seccomp_data}. */
    static int run(byte[] program, int nr, int arch, long arg0) {
        return run(program, nr, arch, arg0, 0, 0);
    }

    /** Like {@link #run(byte[], int, int, long)} with the second and third arguments too. */
    static int run(byte[] program, int nr, int arch, long arg0, long arg1, long arg2) {
        ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0, nr).putInt(4, arch).putLong(16, arg0).putLong(24, arg1).putLong(32, arg2);
        ByteBuffer p = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
        int a = 0;
        int pc = 0;
        for (int steps = 0; steps < 10_000; steps++) {
            int code = p.getShort(pc * 8) & 0xffff;
            int jt = p.get(pc * 8 + 2) & 0xff;
            int jf = p.get(pc * 8 + 3) & 0xff;
            int k = p.getInt(pc * 8 + 4);
            switch (code) {
                case Bpf.LD_W_ABS -> {
                    a = data.getInt(k);
                    pc++;
                }
                case Bpf.JMP_JEQ_K -> pc += 1 + (a == k ? jt : jf);
                case Bpf.JMP_JGE_K -> pc += 1 + (Integer.compareUnsigned(a, k) >= 0 ? jt : jf);
                case Bpf.JMP_JSET_K -> pc += 1 + ((a & k) != 0 ? jt : jf);
                case Bpf.RET_K -> {
                    return k;
                }
                default -> throw new AssertionError("unknown opcode " + code);
            }
        }
        throw new AssertionError("no return");
    }

    @Test
    void mainTracesTrappedSyscallsAndAllowsTheRest() {
        byte[] main = Filters.main();
        for (Syscall s : SyscallTable.trapped()) {
            long arg0 = s.nr() == SyscallTable.NR_CLONE ? Filters.CLONE_UNTRACED : 0;
            assertThat(run(main, s.nr(), Filters.AUDIT_ARCH, arg0)).as(s.name()).isEqualTo(Seccomp.RET_TRACE);
        }
        assertThat(run(main, ARCH.nr("getpid"), Filters.AUDIT_ARCH, 0)).as("getpid").isEqualTo(Seccomp.RET_ALLOW);
        assertThat(run(main, ARCH.nr("read"), Filters.AUDIT_ARCH, 0)).as("read").isEqualTo(Seccomp.RET_ALLOW);
        assertThat(run(main, SyscallTable.NR_FCHDIR, Filters.AUDIT_ARCH, 0)).as("fchdir").isEqualTo(Seccomp.RET_ALLOW);
    }

    @Test
    void mainWithSomeFamiliesTracesOnlyThoseAndAlwaysTheTakeoverCalls() {
        byte[] main = Filters.main(java.util.EnumSet.of(Family.EXEC, Family.NETWORK));
        for (Syscall s : SyscallTable.trapped()) {
            boolean traced = s.family() == Family.EXEC || s.family() == Family.NETWORK || Filters.alwaysTrapped(s.family())
                    || s.family() == Family.OPEN && s.nr() != SyscallTable.NR_OPEN && s.nr() != SyscallTable.NR_OPENAT;
            long arg0 = s.nr() == SyscallTable.NR_CLONE ? Filters.CLONE_UNTRACED : 0;
            assertThat(run(main, s.nr(), Filters.AUDIT_ARCH, arg0)).as(s.name())
                    .isEqualTo(traced ? Seccomp.RET_TRACE : Seccomp.RET_ALLOW);
        }
        assertThat(run(main, SyscallTable.NR_IO_URING_SETUP, Filters.AUDIT_ARCH, 0))
                .isEqualTo(Seccomp.RET_ERRNO | Errno.EACCES);
    }

    @Test
    void mainDeniesIoUringAndForeignAbis() {
        byte[] main = Filters.main();
        int deny = Seccomp.RET_ERRNO | Errno.EACCES;
        assertThat(run(main, SyscallTable.NR_IO_URING_SETUP, Filters.AUDIT_ARCH, 0)).isEqualTo(deny);
        assertThat(ARCH.foreignAuditArches()).isNotEmpty();
        for (int foreign : ARCH.foreignAuditArches()) { // x86_64: i386; aarch64: 32-bit arm
            assertThat(run(main, 20, foreign, 0)).as("foreign getpid").isEqualTo(deny);
            assertThat(run(main, 5, foreign, 0)).as("foreign open").isEqualTo(deny);
        }
        assertThat(run(main, ARCH.nr("getpid"), 0x4000003E, 0)).as("any other arch").isEqualTo(deny);
        if (ARCH.foreignNrBit() != 0) {
            assertThat(run(main, ARCH.foreignNrBit() | 2, Filters.AUDIT_ARCH, 0)).as("x32 open").isEqualTo(deny);
        }
    }

    @Test
    void withoutTheFileOperationOnlyOpensThatMayWriteStop() {
        byte[] main = Filters.main(java.util.EnumSet.of(Family.EXEC));
        int x86 = Filters.AUDIT_ARCH; // the native arch, x86_64 or aarch64
        boolean open = SyscallTable.NR_OPEN >= 0; // aarch64 has only openat (and openat2), no open or creat
        int rdonly = 0;
        int cloexec = 02000000;
        int directory = ARCH.oDirectory();
        assertThat(run(main, SyscallTable.NR_OPENAT, x86, -100, 0, rdonly | cloexec | directory)).as("openat read")
                .isEqualTo(Seccomp.RET_ALLOW);
        assertThat(!open || run(main, SyscallTable.NR_OPEN, x86, 0, rdonly | cloexec, 0) == Seccomp.RET_ALLOW)
                .as("open read").isTrue();
        for (int flags : new int[] {01, 02, 0100, 01000, 02000, 0101 | cloexec}) {
            assertThat(run(main, SyscallTable.NR_OPENAT, x86, -100, 0, flags)).as("openat flags 0%o", flags)
                    .isEqualTo(Seccomp.RET_TRACE);
            assertThat(!open || run(main, SyscallTable.NR_OPEN, x86, 0, flags, 0) == Seccomp.RET_TRACE)
                    .as("open flags 0%o", flags).isTrue();
        }
        assertThat(!open || run(main, SyscallTable.NR_CREAT, x86, 0) == Seccomp.RET_TRACE).as("creat").isTrue();
        assertThat(run(main, SyscallTable.NR_OPENAT2, x86, 0)).as("flags in memory").isEqualTo(Seccomp.RET_TRACE);
        assertThat(run(main, SyscallTable.NR_RENAMEAT, x86, 0)).as("file changes").isEqualTo(Seccomp.RET_TRACE);
        assertThat(run(Filters.main(), SyscallTable.NR_OPENAT, x86, -100, 0, rdonly)).as("with file: every open")
                .isEqualTo(Seccomp.RET_TRACE);
    }

    @Test
    void mainDeniesTheWaysOutOfTheTracer() {
        byte[] main = Filters.main();
        int x86 = Filters.AUDIT_ARCH; // the native arch, x86_64 or aarch64
        int sigchld = 17;
        assertThat(run(main, SyscallTable.NR_CLONE, x86, Filters.CLONE_UNTRACED | sigchld)).as("untraced clone")
                .isEqualTo(Seccomp.RET_TRACE);
        assertThat(run(main, SyscallTable.NR_CLONE, x86, sigchld)).as("fork-like clone").isEqualTo(Seccomp.RET_ALLOW);
        assertThat(run(main, SyscallTable.NR_CLONE, x86, 0x3d0f00)).as("pthread_create's clone")
                .isEqualTo(Seccomp.RET_ALLOW);
        assertThat(run(main, SyscallTable.NR_CLONE3, x86, 0)).as("clone3: flags in memory")
                .isEqualTo(Seccomp.RET_ERRNO | Errno.ENOSYS);
        assertThat(run(main, SyscallTable.NR_USERFAULTFD, x86, 0)).isEqualTo(Seccomp.RET_ERRNO | Errno.EACCES);
        assertThat(run(Filters.main(java.util.EnumSet.noneOf(Family.class)), SyscallTable.NR_SECCOMP, x86, 1))
                .as("seccomp is trapped whatever --trap says").isEqualTo(Seccomp.RET_TRACE);
    }

    @Test
    void theMeshRowsAreTrappedOnlyWithTheCaptureOn() {
        int x86 = Filters.AUDIT_ARCH; // the native arch, x86_64 or aarch64
        java.util.Set<Family> process = java.util.EnumSet.of(Family.EXEC);
        java.util.Set<Family> captured = java.util.EnumSet.of(Family.EXEC, Family.MESH);
        for (int nr : new int[] {SyscallTable.NR_CONNECT, SyscallTable.NR_BIND, SyscallTable.NR_GETPEERNAME}) {
            assertThat(run(Filters.main(process), nr, x86, 3)).as("capture off: %d", nr).isEqualTo(Seccomp.RET_ALLOW);
            assertThat(run(Filters.main(captured), nr, x86, 3)).as("capture on: %d", nr).isEqualTo(Seccomp.RET_TRACE);
            assertThat(run(Filters.widening(java.util.EnumSet.of(Family.MESH)), nr, x86, 3)).isEqualTo(Seccomp.RET_TRACE);
        }
        assertThat(run(Filters.main(captured), SyscallTable.NR_SOCKET, x86, 2)).as("the rest of the network family")
                .isEqualTo(Seccomp.RET_ALLOW);
        assertThat(run(Filters.main(java.util.EnumSet.of(Family.NETWORK)), SyscallTable.NR_GETPEERNAME, x86, 3))
                .as("network rules alone never stop getpeername").isEqualTo(Seccomp.RET_ALLOW);
    }

    @Test
    void acceptIsTrappedForTheMeshOnlyWithStrictInbound() {
        int x86 = Filters.AUDIT_ARCH; // the native arch, x86_64 or aarch64
        java.util.Set<Family> captured = java.util.EnumSet.of(Family.EXEC, Family.MESH);
        java.util.Set<Family> strict = java.util.EnumSet.of(Family.EXEC, Family.MESH, Family.MESH_INBOUND);
        for (int nr : new int[] {SyscallTable.NR_ACCEPT, SyscallTable.NR_ACCEPT4}) {
            assertThat(run(Filters.main(captured), nr, x86, 3)).as("capture on: %d", nr).isEqualTo(Seccomp.RET_ALLOW);
            assertThat(run(Filters.main(strict), nr, x86, 3)).as("strict: %d", nr).isEqualTo(Seccomp.RET_TRACE);
            assertThat(run(Filters.widening(java.util.EnumSet.of(Family.MESH_INBOUND)), nr, x86, 3))
                    .isEqualTo(Seccomp.RET_TRACE);
        }
        assertThat(run(Filters.main(strict), SyscallTable.NR_SOCKET, x86, 2)).isEqualTo(Seccomp.RET_ALLOW);
    }

    @Test
    void cwdAndUidChangesAreTrappedOnlyWhileTheTracerKeepsThem() {
        int arch = Filters.AUDIT_ARCH;
        java.util.Set<Family> process = java.util.EnumSet.of(Family.EXEC);
        java.util.Set<Family> kept = java.util.EnumSet.of(Family.EXEC, Family.CWD_UID);
        for (int nr : new int[] {SyscallTable.NR_CHDIR, SyscallTable.NR_FCHDIR, SyscallTable.NR_SETUID,
                SyscallTable.NR_SETREUID, SyscallTable.NR_SETRESUID}) {
            assertThat(run(Filters.main(process), nr, arch, 3)).as("not kept: %d", nr).isEqualTo(Seccomp.RET_ALLOW);
            assertThat(run(Filters.main(kept), nr, arch, 3)).as("kept: %d", nr).isEqualTo(Seccomp.RET_TRACE);
            assertThat(run(Filters.widening(java.util.EnumSet.of(Family.CWD_UID)), nr, arch, 3))
                    .isEqualTo(Seccomp.RET_TRACE);
        }
        assertThat(run(Filters.main(kept), ARCH.nr("setgid"), arch, 3)).as("the rest of the capabilities family")
                .isEqualTo(Seccomp.RET_ALLOW);
        assertThat(run(Filters.main(kept), ARCH.nr("getpid"), arch, 3)).isEqualTo(Seccomp.RET_ALLOW);
    }

    @Test
    void gateNotifiesOnlyFchdirOfItsDescriptor() {
        byte[] gate = Filters.gate(37);
        assertThat(run(gate, SyscallTable.NR_FCHDIR, Filters.AUDIT_ARCH, 37)).isEqualTo(Seccomp.RET_USER_NOTIF);
        assertThat(run(gate, SyscallTable.NR_FCHDIR, Filters.AUDIT_ARCH, 38)).isEqualTo(Seccomp.RET_ALLOW);
        assertThat(run(gate, SyscallTable.NR_FCHDIR, Filters.AUDIT_ARCH, 37L | (1L << 32)))
                .isEqualTo(Seccomp.RET_ALLOW);
        assertThat(run(gate, SyscallTable.NR_OPENAT, Filters.AUDIT_ARCH, 37)).isEqualTo(Seccomp.RET_ALLOW);
        assertThat(run(gate, SyscallTable.NR_FCHDIR, ARCH.foreignAuditArches()[0], 37)).isEqualTo(Seccomp.RET_ALLOW);
    }

    @Test
    void assemblerRejectsBadLabels() {
        assertThatThrownBy(() -> new Bpf().jumpIfEqual(1, "nowhere", null).ret(0).assemble())
                .hasMessageContaining("undefined label: nowhere");
        assertThatThrownBy(() -> new Bpf().label("x").label("x")).hasMessageContaining("defined twice");
        assertThatThrownBy(() -> new Bpf().label("back").ret(0).jumpIfEqual(1, "back", null).assemble())
                .hasMessageContaining("out of range");
    }
}
