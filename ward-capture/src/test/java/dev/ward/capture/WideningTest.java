package dev.ward.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.testing.CPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A filter stacked onto a running workload ({@link Supervisor#widen}): opens that ran untraced start stopping
 * in the tracer, in threads that sleep, block in a read or spin in user code when it happens, and in
 * processes started afterwards.
 */
@Tag("process")
class WideningTest {
    private static Path workload;

    @TempDir
    Path dir;

    @BeforeAll
    static void compile() {
        workload = CPrograms.get("workload", "-pthread");
    }

    @Test
    void readOnlyOpensOfARunningWorkloadStopOnceTheFileFamilyIsAdded() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "s3cr3t");
        Path out = dir.resolve("stdout");
        SupervisorTest.Recorder r = new SupervisorTest.Recorder(secret.toString());
        String cmd = "exec '" + workload + "' widen '" + secret + "' > '" + out + "'";
        Supervisor s = Supervisor.start(new Supervisor.Spec("/bin/sh", List.of("sh", "-c", cmd),
                List.of("PATH=/usr/bin:/bin"), dir.toString(), EnumSet.of(Family.EXEC)), r);
        awaitLine(out, "ready");
        assertThat(r.events).as("read-only opens run untraced before the widening")
                .doesNotContain("openat " + secret);

        s.widen(EnumSet.of(Family.EXEC, Family.OPEN));
        int status = s.awaitExit();

        assertThat(Files.readString(out)).contains("widen denied=3 of 3");
        assertThat(status).isZero();
        assertThat(r.events).contains("openat " + secret);
    }

    @Test
    void processesStartedAfterTheWideningInheritIt() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "s3cr3t");
        Path gate = dir.resolve("go");
        Path out = dir.resolve("stdout");
        SupervisorTest.Recorder r = new SupervisorTest.Recorder(secret.toString());
        // The shell waits (in a loop of sleeps: each one a new process) until the test says go, then a new
        // process opens the file.
        String cmd = "echo waiting > '" + out + "'; while [ ! -e '" + gate + "' ]; do sleep 0.05; done; exec '"
                + workload + "' open '" + secret + "' >> '" + out + "'";
        Supervisor s = Supervisor.start(new Supervisor.Spec("/bin/sh", List.of("sh", "-c", cmd),
                List.of("PATH=/usr/bin:/bin"), dir.toString(), EnumSet.of(Family.EXEC)), r);
        awaitLine(out, "waiting");

        s.widen(EnumSet.of(Family.EXEC, Family.OPEN));
        Files.writeString(gate, "");
        s.awaitExit();

        assertThat(Files.readString(out)).contains("open " + secret + " errno=13");
    }

    /** The agent widens on its own thread between the seizure and its loop, when a policy came meanwhile. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aWideningOnTheTracerThreadBeforeItsLoopAppliesFromTheFirstSyscall() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "s3cr3t");
        Path out = dir.resolve("stdout");
        SupervisorTest.Recorder r = new SupervisorTest.Recorder(secret.toString());
        String cmd = "exec '" + workload + "' open '" + secret + "' > '" + out + "'";
        Supervisor s = Supervisor.prepare();
        s.seize(new Supervisor.Spec("/bin/sh", List.of("sh", "-c", cmd), List.of("PATH=/usr/bin:/bin"),
                dir.toString(), EnumSet.of(Family.EXEC)), r, null);

        s.widen(EnumSet.of(Family.EXEC, Family.OPEN)); // returns at once: this thread is the tracer
        s.trace();

        assertThat(Files.readString(out)).contains("open " + secret + " errno=13");
        assertThat(r.events).contains("openat " + secret);
    }

    @Test
    void aWideningAfterTheWorkloadEndedReturns() throws Exception {
        SupervisorTest.Recorder r = new SupervisorTest.Recorder();
        Supervisor s = Supervisor.start(new Supervisor.Spec("/bin/true", List.of("true"), List.of(), dir.toString(),
                EnumSet.of(Family.EXEC)), r);
        s.awaitExit();
        s.widen(EnumSet.allOf(Family.class)); // must not wait for a tracer that is gone
    }

    private static void awaitLine(Path file, String line) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readAllLines(file).contains(line)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line '" + line + "' in " + file + " within 30 s");
    }
}
