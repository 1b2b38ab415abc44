package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Both architectures' tables against the kernel headers of both (linux-libc-dev has them on any host). */
class ArchTest {
    private static final Path X86_64_HEADER = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
    private static final Path GENERIC_HEADER = Path.of("/usr/include/asm-generic/unistd.h");
    /** What arch/arm64/include/uapi/asm/unistd.h defines before it includes the generic table. */
    private static final Set<String> ARM64_WANTS = Set.of("__ARCH_WANT_RENAMEAT", "__ARCH_WANT_NEW_STAT",
            "__ARCH_WANT_SET_GET_RLIMIT", "__ARCH_WANT_TIME32_SYSCALLS", "__ARCH_WANT_SYS_CLONE3",
            "__ARCH_WANT_MEMFD_SECRET");
    /**
     * Syscalls newer than headers a host may have (fchmodat2: Linux 6.6). From 424 on, a new syscall has the same
     * number on every architecture, so both tables must agree on these.
     */
    private static final Map<String, Integer> NEWER = Map.of("fchmodat2", 452);

    @Test
    void x86_64NumbersMatchItsKernelHeader() throws Exception {
        matches(Arch.of("x86_64"), X86_64_HEADER, Set.of());
    }

    @Test
    void aarch64NumbersMatchTheGenericKernelHeader() throws Exception {
        matches(Arch.of("aarch64"), GENERIC_HEADER, ARM64_WANTS);
    }

    @Test
    void callsArm64LacksAreAbsent() {
        Arch a = Arch.of("aarch64");
        for (String name : new String[] {"open", "creat", "unlink", "rename", "link", "symlink", "chmod", "chown",
                "lchown", "mknod", "fork", "vfork", "utime", "utimes", "futimesat"}) {
            assertThat(a.nr(name)).as(name).isEqualTo(-1);
            assertThat(Arch.of("x86_64").nr(name)).as(name).isPositive();
        }
        assertThatThrownBy(() -> a.nr("poll")).hasMessageContaining("not in Arch.KNOWN");
        assertThatThrownBy(() -> a.required("open")).hasMessage("aarch64 has no syscall open");
    }

    @Test
    void pickedOnceFromOsArch() {
        assertThat(Arch.of("amd64").name()).isEqualTo("x86_64");
        assertThat(Arch.of("aarch64").name()).isEqualTo("aarch64");
        assertThat(Arch.CURRENT).isSameAs(Arch.of(System.getProperty("os.arch")));
        assertThatThrownBy(() -> Arch.of("riscv64")).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("x86_64 and aarch64 Linux only; this JVM's os.arch is riscv64");
    }

    @Test
    void auditArchesAndForeignAbis() {
        assertThat(Arch.of("x86_64").auditArch()).isEqualTo(0xC000003E);
        assertThat(Arch.of("x86_64").foreignAuditArches()).containsExactly(0x40000003);
        assertThat(Arch.of("x86_64").foreignNrBit()).isEqualTo(0x40000000);
        assertThat(Arch.of("aarch64").auditArch()).isEqualTo(0xC00000B7);
        assertThat(Arch.of("aarch64").foreignAuditArches()).containsExactly(0x40000028);
        assertThat(Arch.of("aarch64").foreignNrBit()).isZero();
    }

    @Test
    void x86_64SkipsThroughOrigRaxAndRestartsTwoBytesBack() {
        Arch a = Arch.of("x86_64");
        MemorySegment regs = Arena.ofAuto().allocate(a.regsBlockSize(), 8);
        regs.set(JAVA_LONG, X86_64.ORIG_RAX, 257);
        regs.set(JAVA_LONG, X86_64.RDI, -100);
        regs.set(JAVA_LONG, X86_64.RIP, 0x1000);
        assertThat(a.syscallNr(regs)).isEqualTo(257);
        assertThat(a.arg(regs, 0)).isEqualTo(-100);
        a.skipSyscall(regs, Errno.EACCES);
        assertThat(regs.get(JAVA_LONG, X86_64.ORIG_RAX)).isEqualTo(-1);
        assertThat(a.returnValue(regs)).isEqualTo(-Errno.EACCES);
        assertThat(regs.get(JAVA_INT, a.regsSize() + 4)).as("nothing apart from the block").isZero();
        regs.set(JAVA_LONG, X86_64.ORIG_RAX, 257);
        a.restartSyscall(regs);
        assertThat(regs.get(JAVA_LONG, X86_64.RAX)).isEqualTo(257);
        assertThat(regs.get(JAVA_LONG, X86_64.RIP)).isEqualTo(0x0ffe);
        a.callNext(regs, 3, 9);
        assertThat(regs.get(JAVA_LONG, X86_64.RAX)).isEqualTo(3);
        assertThat(a.arg(regs, 0)).isEqualTo(9);
        assertThat(regs.get(JAVA_LONG, X86_64.RIP)).isEqualTo(0x0ffc);
    }

    @Test
    void aarch64SetsTheNumberApartAndRestartsFourBytesBack() {
        Arch a = Arch.of("aarch64");
        MemorySegment regs = Arena.ofAuto().allocate(a.regsBlockSize(), 8);
        regs.set(JAVA_LONG, Aarch64.X8, 56);
        regs.set(JAVA_LONG, Aarch64.X0, -100);
        regs.set(JAVA_LONG, Aarch64.PC, 0x1000);
        regs.set(JAVA_LONG, Aarch64.SP, 0x8000);
        assertThat(a.syscallNr(regs)).isEqualTo(56);
        assertThat(a.arg(regs, 0)).isEqualTo(-100);
        assertThat(a.belowStack(regs, 10)).isEqualTo((0x8000 - 128 - 10) & ~15L);
        a.skipSyscall(regs, Errno.EACCES);
        assertThat(regs.get(JAVA_LONG, Aarch64.X8)).as("x8 is not what the kernel runs").isEqualTo(56);
        assertThat(regs.get(JAVA_INT, a.regsSize())).as("NT_ARM_SYSTEM_CALL").isEqualTo(-1);
        assertThat(regs.get(JAVA_INT, a.regsSize() + 4)).as("to be written").isEqualTo(1);
        assertThat(a.returnValue(regs)).isEqualTo(-Errno.EACCES);
        a.restartSyscall(regs);
        assertThat(regs.get(JAVA_LONG, Aarch64.PC)).isEqualTo(0x0ffc);
        a.callNext(regs, 57, 9);
        assertThat(regs.get(JAVA_LONG, Aarch64.X8)).isEqualTo(57);
        assertThat(a.arg(regs, 0)).isEqualTo(9);
        assertThat(regs.get(JAVA_LONG, Aarch64.PC)).isEqualTo(0x0ff8);
        assertThat(a.nativeMode(regs)).isTrue();
        regs.set(JAVA_LONG, Aarch64.PSTATE, 0x10);
        assertThat(a.nativeMode(regs)).as("AArch32").isFalse();
    }

    private static void matches(Arch arch, Path header, Set<String> macros) throws Exception {
        Assumptions.assumeTrue(Files.isReadable(header), header + " is missing: the kernel headers (Debian's "
                + "linux-libc-dev) are not installed here; the x86 CI host has them");
        Map<String, Integer> kernel = KernelHeaders.syscalls(header, macros);
        assertThat(kernel).as("header parsed").hasSizeGreaterThan(250);
        for (String name : Arch.KNOWN) {
            Integer expected = kernel.containsKey(name) ? kernel.get(name) : NEWER.get(name);
            assertThat(arch.syscalls().get(name)).as(arch + " " + name).isEqualTo(expected);
        }
        assertThat(Arch.KNOWN).containsAll(arch.syscalls().keySet());
    }
}
