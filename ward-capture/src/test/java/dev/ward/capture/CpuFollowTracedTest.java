package dev.ward.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ward.bindings.Affinity;
import dev.ward.testing.CPrograms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real tracer on a real busy workload, with the default setting (WARD_TRACER_AFFINITY unset): its thread
 * moves to the CPU of a workload thread that makes all the stops, and stays free when two threads share them.
 * Sampled every few milliseconds while the workload runs, from the tracer thread's Cpus_allowed_list.
 */
@Tag("process")
class CpuFollowTracedTest {
    private static final int BUSY_MILLIS = 3000;
    private static Path workload;

    @TempDir
    Path dir;

    @BeforeAll
    static void compile() {
        workload = CPrograms.get("workload", "-pthread");
    }

    @Test
    void aSingleBusyThreadGetsTheTracerOntoItsCpu() throws Exception {
        assumeTrue(TracerSettings.FOLLOW && new Affinity().cpus() > 1, "follows by default, on two CPUs or more");
        Samples s = sample(1);
        assertThat(s.onTheBusyCpu).as("samples with the tracer confined to the busy thread's CPU, of %d", s.taken)
                .isPositive();
        assertThat(s.confined).as("samples with the tracer on one CPU, of %d", s.taken).isGreaterThan(s.taken / 2);
    }

    @Test
    void twoBusyThreadsDoNotPinIt() throws Exception {
        assumeTrue(TracerSettings.FOLLOW && new Affinity().cpus() > 1, "follows by default, on two CPUs or more");
        Samples s = sample(2);
        assertThat(s.confined).as("samples with the tracer on one CPU, of %d", s.taken).isLessThan(s.taken / 4);
    }

    private record Samples(int taken, int confined, int onTheBusyCpu) {
    }

    /** Runs {@code threads} busy threads under the tracer and samples where the tracer may run. */
    private Samples sample(int threads) throws Exception {
        SupervisorTest.Recorder r = new SupervisorTest.Recorder();
        List<String> argv = List.of(workload.toString(), "busy", String.valueOf(threads),
                String.valueOf(BUSY_MILLIS), "/etc/hostname");
        Supervisor s = Supervisor.start(new Supervisor.Spec(workload.toString(), argv, List.of(), dir.toString()), r);
        int pid = s.mainPid();
        Path tracer = tracerThread();
        Affinity probe = new Affinity();
        long end = System.nanoTime() + (BUSY_MILLIS - 500) * 1_000_000L;
        Thread.sleep(500); // the threads start, a few windows of stops go by
        int taken = 0;
        int confined = 0;
        int onBusy = 0;
        while (System.nanoTime() < end) {
            String allowed = allowedList(tracer);
            int busy = busyThread(pid);
            if (allowed != null && busy > 0) {
                taken++;
                if (allowed.matches("[0-9]+")) {
                    confined++;
                    if (Integer.parseInt(allowed) == probe.processor(busy)) {
                        onBusy++;
                    }
                }
            }
            Thread.sleep(5);
        }
        probe.forget();
        s.awaitExit();
        assertThat(taken).as("samples taken").isGreaterThan(50);
        return new Samples(taken, confined, onBusy);
    }

    /** The live ward-tracer thread of this JVM (earlier supervisors' threads ended with their workloads). */
    private static Path tracerThread() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(t -> comm(t).equals("ward-tracer")).reduce((a, b) -> b).orElseThrow();
        }
    }

    /** A busy thread of the workload: its first thread other than the main one, or -1 before it exists. */
    private static int busyThread(int pid) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.mapToInt(t -> Integer.parseInt(t.getFileName().toString())).filter(t -> t != pid)
                    .min().orElse(-1);
        } catch (java.nio.file.NoSuchFileException e) {
            return -1;
        }
    }

    private static String comm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String allowedList(Path task) {
        try {
            return Files.readAllLines(task.resolve("status")).stream().filter(l -> l.startsWith("Cpus_allowed_list:"))
                    .findFirst().map(l -> l.substring("Cpus_allowed_list:".length()).strip()).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
