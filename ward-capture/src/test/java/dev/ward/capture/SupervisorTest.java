package dev.ward.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.bindings.Ptrace;
import dev.ward.testing.CPrograms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real tracer on real processes, in this JVM: a listener that denies the paths it is given. The C
 * programs are compiled before any supervisor runs (the tracer once reaped every child of this JVM; it now waits
 * for its own tracees only).
 */
@Tag("process")
class SupervisorTest {
    private static Path workload;
    private static Path workloadStatic;

    @TempDir
    Path dir;

    @BeforeAll
    static void compile() {
        workload = CPrograms.get("workload", "-pthread");
        workloadStatic = CPrograms.get("workload", "-pthread", "-static");
    }

    /** Records every event; denies opens and execs of the paths in {@code deny}. */
    static final class Recorder implements TraceListener {
        final Set<String> deny;
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final Set<Integer> pids = ConcurrentHashMap.newKeySet();
        final Set<Integer> threads = ConcurrentHashMap.newKeySet();
        /** Paths let through at entry and refused at exit (revoked). */
        final Set<String> revoke = ConcurrentHashMap.newKeySet();
        /** Binaries refused after the kernel loaded them. */
        final Set<String> killExec = ConcurrentHashMap.newKeySet();
        private final Set<Integer> revoking = ConcurrentHashMap.newKeySet();

        Recorder(String... deny) {
            this.deny = Set.of(deny);
        }

        @Override
        public Verdict onSyscall(SyscallEvent e) {
            String path = e.pathString();
            events.add(e.syscall().name() + " " + path);
            pids.add(e.tgid());
            if (revoke.contains(path)) {
                revoking.add(e.tid());
                return Verdict.ALLOW_AND_REPORT_EXIT;
            }
            return deny.contains(path) ? Verdict.DENY : Verdict.ALLOW;
        }

        @Override
        public boolean onSyscallExit(int tid, int tgid, long result) {
            events.add("exit " + result);
            return !revoking.remove(tid);
        }

        @Override
        public void onSpawn(int parentTid, int parentTgid, int childTid, boolean thread) {
            if (thread) {
                threads.add(childTid);
            }
        }

        @Override
        public boolean onExec(int tid, int formerTid) {
            events.add("exec-done " + tid);
            String exe = dev.ward.bindings.Posix.readlink("/proc/" + tid + "/exe");
            return !killExec.contains(exe);
        }

        @Override
        public void onExit(int tid, int tgid, int status) {
        }
    }

    private record Run(int status, String stdout) {
    }

    private Run run(Recorder r, Path program, String... args) throws Exception {
        Path out = dir.resolve("stdout");
        // The workload's stdout goes to a file: the shell redirects, so no ProcessBuilder runs while tracing.
        List<String> argv = new ArrayList<>();
        argv.add("/bin/sh");
        argv.add("-c");
        StringBuilder cmd = new StringBuilder("exec '" + program + "'");
        for (String a : args) {
            cmd.append(" '").append(a).append("'");
        }
        cmd.append(" > '").append(out).append("'");
        argv.add(cmd.toString());
        Supervisor s = Supervisor.start(new Supervisor.Spec("/bin/sh", argv, List.of("PATH=/usr/bin:/bin"),
                dir.toString()), r);
        int status = s.awaitExit();
        return new Run(status, Files.readString(out));
    }

    private Path secret() throws IOException {
        return Files.writeString(dir.resolve("secret"), "s3cr3t");
    }

    /** Without the file operation in the trap set, read-only opens never stop; opens that may write still do. */
    @Test
    void withoutTheFileOperationReadsRunUntracedAndWritesStop() throws Exception {
        Path secret = secret();
        Path written = dir.resolve("written");
        Recorder r = new Recorder(written.toString());
        Path out = dir.resolve("stdout");
        List<String> argv = List.of(workload.toString(), "open", secret.toString(), "write", written.toString());
        Supervisor s = Supervisor.start(new Supervisor.Spec(workload.toString(), argv, List.of(), dir.toString(),
                java.util.EnumSet.of(Family.EXEC)), r);
        s.awaitExit();
        assertThat(r.events).doesNotContain("openat " + secret).contains("openat " + written);
    }

    @Test
    void deniedOpenFailsWithPermissionDeniedAndOthersRun() throws Exception {
        Path secret = secret();
        Recorder r = new Recorder(secret.toString());
        Run run = run(r, workload, "open", secret.toString(), "open", "/etc/hostname", "exit", "7");
        assertThat(run.stdout()).contains("open " + secret + " errno=13").contains("open /etc/hostname ok");
        assertThat(Ptrace.exited(run.status())).isTrue();
        assertThat(Ptrace.exitCode(run.status())).isEqualTo(7);
        assertThat(r.events).contains("openat " + secret, "openat /etc/hostname");
    }

    @Test
    void relativePathsAreResolvedAgainstTheCwd() throws Exception {
        Path secret = secret();
        Recorder r = new Recorder(secret.toString());
        Files.createDirectories(dir.resolve("sub"));
        Run run = run(r, workload, "open", "./sub/../secret");
        assertThat(run.stdout()).contains("open ./sub/../secret errno=13");
    }

    @Test
    void everyThreadIsTraced() throws Exception {
        Path secret = secret();
        Recorder r = new Recorder(secret.toString());
        Run run = run(r, workload, "threads", "16", secret.toString());
        assertThat(run.stdout()).contains("threads denied=16 of 16");
        assertThat(r.threads).hasSizeGreaterThanOrEqualTo(16);
    }

    @Test
    void forkedChildrenAreTraced() throws Exception {
        Path secret = secret();
        Recorder r = new Recorder(secret.toString());
        Run run = run(r, workload, "fork", secret.toString());
        assertThat(run.stdout()).contains("denied").contains("child exit=3");
        assertThat(r.pids).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void vforkedChildrenAreTracedThroughTheirExec() throws Exception {
        Path secret = secret();
        Recorder r = new Recorder(secret.toString());
        Run run = run(r, workload, "vfork", secret.toString());
        assertThat(run.stdout()).contains("vfork child exit=1");
        assertThat(r.events).contains("execve /bin/cat", "openat " + secret);
    }

    @Test
    void anOpenRevokedAtItsExitFailsAndItsDescriptorIsClosed() throws Exception {
        Path secret = secret();
        Recorder r = new Recorder();
        r.revoke.add(secret.toString());
        Run run = run(r, workload, "open", secret.toString(), "open", "/dev/null", "fdof", "/dev/null");
        assertThat(run.stdout()).contains("open " + secret + " errno=13").contains("open /dev/null ok");
        // The descriptor the kernel had opened for the secret was closed: the next open reuses number 3.
        assertThat(run.stdout()).contains("fd /dev/null=3");
        assertThat(r.events).anyMatch(ev -> ev.startsWith("exit ") && !ev.equals("exit -13"));
    }

    @Test
    void anExecRefusedAfterLoadingIsKilledBeforeItRuns() throws Exception {
        Recorder r = new Recorder();
        r.killExec.add("/usr/bin/touch");
        Path marker = dir.resolve("touched");
        Run run = run(r, workload, "exec", "/usr/bin/touch", marker.toString());
        assertThat(marker).doesNotExist();
        assertThat(Ptrace.signaled(run.status())).isTrue();
        assertThat(Ptrace.termSignal(run.status())).isEqualTo(9);
    }

    @Test
    void deniedExecFailsAndTheProcessGoesOn() throws Exception {
        Recorder r = new Recorder("/usr/bin/id");
        Run run = run(r, workload, "exec", "/usr/bin/id", "-u");
        assertThat(run.stdout()).contains("exec /usr/bin/id errno=13");
        assertThat(r.events).contains("execve /usr/bin/id");
    }

    @Test
    void ioUringIsDeniedOutright() throws Exception {
        Run run = run(new Recorder(), workload, "uring");
        assertThat(run.stdout()).contains("io_uring_setup=-1 errno=13");
    }

    @Test
    void foreignAbiSyscallsAreDenied() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.ward.bindings.Arch.CURRENT.name().equals("x86_64"),
                "int $0x80 (the i386 ABI) exists on x86_64 only; aarch64's foreign ABI, 32-bit arm, needs an AArch32 "
                + "binary and core, and FiltersTest checks that the filter denies it");
        // Denied means the syscall did not run: the filter's EACCES where the kernel has IA32 emulation, the
        // kernel's own refusal (SIGSEGV) where it has not. A run without Ward tells which kernel this is.
        Path control = dir.resolve("made-without-ward");
        CPrograms.output(workload, "int80", control.toString());
        boolean ia32 = java.nio.file.Files.isDirectory(control);
        Path made = dir.resolve("made-under-ward");
        Run run = run(new Recorder(), workload, "int80", made.toString());
        assertThat(made).as("i386 mkdir ran under Ward").doesNotExist();
        if (ia32) {
            assertThat(run.stdout()).contains("int80 mkdir=-13");
        }
    }

    @Test
    void staticBinaryWithoutAShellOrLibc() throws Exception {
        Path secret = secret();
        Recorder r = new Recorder(secret.toString());
        Supervisor s = Supervisor.start(new Supervisor.Spec(workloadStatic.toString(),
                List.of(workloadStatic.toString(), "open", secret.toString(), "exit", "4"), List.of(),
                dir.toString()), r);
        int status = s.awaitExit();
        assertThat(Ptrace.exitCode(status)).isEqualTo(4);
        assertThat(r.events).contains("openat " + secret).doesNotContain("execve /bin/sh");
        assertThat(r.events.get(0)).isEqualTo("execve " + workloadStatic);
    }

    @Test
    void missingProgramReportsEnoent() {
        Recorder r = new Recorder();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Supervisor.start(new Supervisor.Spec(
                "/nonexistent/prog", List.of("prog"), List.of(), dir.toString()), r).awaitExit())
                .isInstanceOf(LaunchException.class).hasMessageContaining("No such file or directory")
                .satisfies(e -> assertThat(((LaunchException) e).exitCode()).isEqualTo(127));
    }

    @Test
    void killedBySignalReportsTheSignal() throws Exception {
        Supervisor s = Supervisor.start(new Supervisor.Spec("/bin/sh", List.of("sh", "-c", "kill -TERM $$"),
                List.of(), dir.toString()), new Recorder());
        int status = s.awaitExit();
        assertThat(Ptrace.signaled(status)).isTrue();
        assertThat(Ptrace.termSignal(status)).isEqualTo(15);
    }

    /** The agent's way: the calling thread seizes and traces, no tracer thread of the supervisor's own. */
    @Test
    void seizeAndTraceOnTheCallingThread() throws Exception {
        Path secret = secret();
        Recorder r = new Recorder(secret.toString());
        Supervisor s = Supervisor.prepare();
        int pid = s.seize(new Supervisor.Spec(workloadStatic.toString(), List.of(workloadStatic.toString(), "open",
                secret.toString(), "exit", "5"), List.of(), dir.toString()), r, null);
        assertThat(s.mainPid()).isEqualTo(pid);
        java.util.concurrent.atomic.AtomicReference<Throwable> elsewhere = new java.util.concurrent.atomic.AtomicReference<>();
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                s.trace();
            } catch (Throwable t) {
                elsewhere.set(t);
            }
        });
        other.join();
        assertThat(elsewhere.get()).as("trace() on a thread that did not seize").isInstanceOf(IllegalStateException.class);

        int status = s.trace();

        assertThat(Ptrace.exitCode(status)).isEqualTo(5);
        assertThat(s.awaitExit()).isEqualTo(status);
        assertThat(r.events).startsWith("execve " + workloadStatic).contains("openat " + secret);
    }

    @Test
    void aSeizeThatCannotStartThrowsAndEndsTheSpawner() {
        Supervisor s = Supervisor.prepare();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.seize(new Supervisor.Spec("/bin/true",
                List.of("true"), List.of(), dir.resolve("missing").toString()), new Recorder(), null))
                .isInstanceOf(LaunchException.class).hasMessageContaining("working directory");
        Thread spawner = s.spawnerThread();
        try {
            spawner.join(5_000); // its own spawner, not another test's: the check holds when tests run in parallel
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(spawner.isAlive()).as("the spawner left parked").isFalse();
    }
}
