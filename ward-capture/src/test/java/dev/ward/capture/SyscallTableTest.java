package dev.ward.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.bindings.Arch;
import dev.ward.testing.CPrograms;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class SyscallTableTest {
    @Test
    @Tag("process")
    void numbersMatchTheKernelHeaders() {
        Map<String, Integer> c = new HashMap<>();
        for (String line : CPrograms.output(CPrograms.get("sysnums")).split("\n")) {
            String[] kv = line.split("=");
            c.put(kv[0], Integer.parseInt(kv[1].strip()));
        }
        for (Syscall s : SyscallTable.trapped()) {
            assertThat(c.get(s.name())).as(s.name()).isEqualTo(s.nr());
        }
        assertThat(Arch.CURRENT.syscalls()).as("every syscall Ward knows, as this architecture's C library numbers it")
                .isEqualTo(c);
        assertThat(c).containsEntry("io_uring_setup", SyscallTable.NR_IO_URING_SETUP)
                .containsEntry("fchdir", SyscallTable.NR_FCHDIR).containsEntry("clone", SyscallTable.NR_CLONE)
                .containsEntry("clone3", SyscallTable.NR_CLONE3)
                .containsEntry("userfaultfd", SyscallTable.NR_USERFAULTFD);
    }

    @Test
    void everyRequiredSyscallIsTrapped() {
        assertThat(SyscallTable.trapped()).extracting(Syscall::name).contains("execve", "execveat", "openat",
                "openat2", "connect", "bind", "listen", "accept", "accept4", "socket", "unlinkat", "renameat",
                "renameat2", "linkat", "symlinkat", "fchmod", "fchmodat", "ptrace");
        for (String name : new String[] {"open", "creat", "unlink", "rename", "link", "symlink", "chmod"}) {
            if (Arch.CURRENT.nr(name) >= 0) { // x86_64; aarch64 has only the *at forms
                assertThat(SyscallTable.trapped()).extracting(Syscall::name).contains(name);
            } else {
                assertThat(SyscallTable.trapped()).extracting(Syscall::name).doesNotContain(name);
            }
        }
        assertThat(SyscallTable.byNr(Arch.CURRENT.nr("getpid"))).as("getpid is not trapped").isNull();
        assertThat(SyscallTable.byNr(-1)).isNull();
        assertThat(SyscallTable.byNr(100_000)).isNull();
    }
}
