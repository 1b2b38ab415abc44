package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The critical handle gives the same results as the first one, on a real stopped tracee and real memory. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CriticalCallsTest {
    @Test
    void registersOfAStoppedTraceeAreTheSameThroughBothHandles() throws Exception {
        // posix_spawn, not ProcessBuilder: the JVM's reaper thread would take the tracee's stops from waitpid
        int pid;
        try (Spawn.Request sleep = new Spawn.Request("/bin/sleep", List.of("sleep", "60"), List.of(), -1)) {
            pid = sleep.spawn();
        }
        assertThat(pid).isPositive();
        Ptrace ptrace = new Ptrace();
        try (Arena arena = Arena.ofConfined()) {
            ptrace.seize(pid, Ptrace.O_EXITKILL);
            assertThat(ptrace.interrupt(pid)).isZero();
            assertThat(ptrace.waitpid(pid, Ptrace.WALL)).isEqualTo(pid);
            assertThat(Ptrace.stopped(ptrace.status())).as("tracee stopped").isTrue();
            MemorySegment callState = Libc.newTracerCallState();
            long size = Arch.CURRENT.regsSize();
            MemorySegment normal = arena.allocate(size, 8);
            MemorySegment critical = arena.allocate(size, 8);
            MemorySegment iov = arena.allocate(16, 8);

            iov.set(JAVA_LONG, 0, normal.address());
            iov.set(JAVA_LONG, 8, size);
            assertThat(Libc.syscall(callState, Libc.SYS_PTRACE, Ptrace.PTRACE_GETREGSET, pid, Ptrace.NT_PRSTATUS,
                    iov.address(), 0, 0)).isZero();
            iov.set(JAVA_LONG, 0, critical.address());
            iov.set(JAVA_LONG, 8, size);
            assertThat(Libc.critical(callState, Libc.SYS_PTRACE, Ptrace.PTRACE_GETREGSET, pid, Ptrace.NT_PRSTATUS,
                    iov.address(), 0)).isZero();
            assertThat(iov.get(JAVA_LONG, 8)).isEqualTo(size);
            assertThat(critical.toArray(JAVA_BYTE)).isEqualTo(normal.toArray(JAVA_BYTE));
            assertThat(Regs.syscallNr(normal)).isNotZero(); // a real block: sleep is in a syscall (or restarting one)

            // once linked, the façade takes the critical handle and reads the same block
            Libc.linkCritical();
            assertThat(Libc.criticalLinked()).isTrue();
            assertThat(ptrace.getRegs(pid)).isZero();
            assertThat(ptrace.regs().asSlice(0, size).toArray(JAVA_BYTE)).isEqualTo(normal.toArray(JAVA_BYTE));
            // errors come back as -errno through both: a process this thread does not trace
            assertThat(Libc.critical(callState, Libc.SYS_PTRACE, Ptrace.PTRACE_CONT, 1, 0, 0, 0)).isEqualTo(-Errno.ESRCH);
            assertThat(Libc.syscall(callState, Libc.SYS_PTRACE, Ptrace.PTRACE_CONT, 1, 0, 0, 0, 0))
                    .isEqualTo(-Errno.ESRCH);
            assertThat(ptrace.cont(pid, 0)).isZero();
        } finally {
            Libc.syscall(Libc.SYS_KILL, pid, 9, 0, 0);
            while (ptrace.waitpid(pid, Ptrace.WALL) == pid && !Ptrace.exited(ptrace.status())
                    && !Ptrace.signaled(ptrace.status())) {
                ptrace.cont(pid, 0);
            }
        }
    }

    @Test
    void memoryReadsAndPagemapAreTheSameThroughBothHandles() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment page = arena.allocate(4096, 4096);
            page.fill((byte) 0x5a);
            MemorySegment callState = Libc.newTracerCallState();
            MemorySegment out = arena.allocate(4096, 8);
            MemorySegment iovs = arena.allocate(32, 8);
            iovs.set(JAVA_LONG, 0, out.address());
            iovs.set(JAVA_LONG, 8, 4096);
            iovs.set(JAVA_LONG, 16, page.address());
            iovs.set(JAVA_LONG, 24, 4096);
            long pid = Posix.getpid();
            long critical = Libc.critical(callState, Libc.SYS_PROCESS_VM_READV, pid, iovs.address(), 1,
                    iovs.address() + 16, 1);
            assertThat(critical).isEqualTo(4096);
            assertThat(out.toArray(JAVA_BYTE)).containsOnly((byte) 0x5a);
            iovs.set(JAVA_LONG, 16, 0); // unmapped: -EFAULT through both
            assertThat(Libc.critical(callState, Libc.SYS_PROCESS_VM_READV, pid, iovs.address(), 1, iovs.address() + 16, 1))
                    .isEqualTo(-Errno.EFAULT)
                    .isEqualTo(Libc.syscall(callState, Libc.SYS_PROCESS_VM_READV, pid, iovs.address(), 1,
                            iovs.address() + 16, 1, 0));

            int fd = Posix.open("/proc/self/pagemap", Posix.O_RDONLY | Posix.O_CLOEXEC);
            try {
                MemorySegment word = arena.allocate(8, 8);
                long offset = (page.address() >>> TraceeMemory.PAGE_SHIFT) * 8;
                assertThat(Libc.syscall(callState, Libc.SYS_PREAD64, fd, word.address(), 8, offset, 0, 0)).isEqualTo(8);
                long normalWord = word.get(JAVA_LONG, 0);
                assertThat(Libc.critical(callState, Libc.SYS_PREAD64, fd, word.address(), 8, offset, 0)).isEqualTo(8);
                assertThat(word.get(JAVA_LONG, 0)).isEqualTo(normalWord);
                assertThat(normalWord >>> 63 & 1).as("present").isEqualTo(1);
                assertThat(new TraceeMemory().privatePage(fd, page.address())).isTrue();
            } finally {
                Posix.close(fd);
            }
        }
    }

    @Test
    @Order(1) // before the others link the handle on the test's thread
    void linkedInTheBackgroundAfterEnoughNonBlockingCalls() throws Exception {
        assertThat(Libc.criticalLinked()).as("not linked before the calls").isFalse();
        MemorySegment callState = Libc.newTracerCallState();
        long pid = Posix.getpid();
        for (int i = 0; i < Libc.CRITICAL_AFTER; i++) {
            assertThat(Libc.nonBlocking(callState, Libc.SYS_GETPID, 0, 0, 0, 0, 0)).isEqualTo(pid);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Libc.criticalLinked() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(Libc.criticalLinked()).isTrue();
        assertThat(Libc.nonBlocking(callState, Libc.SYS_GETPID, 0, 0, 0, 0, 0)).isEqualTo(pid);
    }
}
