package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WARD_TRACER_AFFINITY=follow on a real agent and real busy workloads: the tracer thread moves to the CPU of a
 * single process that makes all the stops, and stays on every CPU when two processes share them. Sampled every few
 * milliseconds while the workload runs, from the agent's ward-tracer thread's Cpus_allowed_list.
 */
@Tag("process")
class TracerAffinityTest {
    /** One bash opening a file in a loop for 3 s (bash's own redirection: an openat per iteration). */
    private static final String LOOP = "e=$((SECONDS+3)); while [ $SECONDS -lt $e ]; do : </etc/hostname; done";

    @TempDir
    Path dir;

    /**
     * The tracer goes to the busy process's CPU. It need not stay there: on a machine with an idle CPU the scheduler
     * tends to wake the process on that one (docs/benchmarks.md, "The tracer follows its busiest tracee's CPU"), so
     * the test asks for moves and for samples on one CPU, not for most samples.
     */
    @Test
    void aSingleBusyProcessDrawsTheTracerToItsCpu() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "needs two CPUs");
        Samples s = sample("bash", "-c", LOOP);
        assertThat(s.confined).as("samples with the tracer on one CPU, of %d", s.taken).isPositive();
        var moves = java.util.regex.Pattern.compile("tracer CPU: follow \\((\\d+) moves").matcher(s.stderr);
        assertThat(moves.find()).as(s.stderr).isTrue();
        assertThat(Integer.parseInt(moves.group(1))).as(s.stderr).isPositive();
    }

    @Test
    void twoBusyProcessesDoNotPinIt() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "needs two CPUs");
        Samples s = sample("bash", "-c", "(" + LOOP + ") & (" + LOOP + ") & wait");
        assertThat(s.confined).as("samples with the tracer on one CPU, of %d", s.taken).isLessThan(s.taken / 4);
    }

    @Test
    void offLeavesItToTheScheduler() throws Exception {
        var r = AgentProcess.run("--trap", "file", "--", "true").env("WARD_TRACER_AFFINITY", "off")
                .env("WARD_DEBUG_STOPS", "1").await(dir);
        assertThat(r.exitCode()).isZero();
        assertThat(r.stderr()).contains("tracer CPU: off");
    }

    private record Samples(int taken, int confined, String stderr) {
    }

    private Samples sample(String... workload) throws Exception {
        List<String> args = new ArrayList<>(List.of("--trap", "file", "--"));
        args.addAll(List.of(workload));
        Path err = dir.resolve("agent.err");
        Process agent = AgentProcess.run(args.toArray(String[]::new)).env("WARD_TRACER_AFFINITY", "follow")
                .env("WARD_DEBUG_STOPS", "1").start(dir.resolve("telemetry.jsonl"), dir.resolve("agent.out"), err);
        int taken = 0;
        int confined = 0;
        long start = System.nanoTime();
        while (agent.isAlive() && System.nanoTime() - start < 10_000_000_000L) {
            Path tracer = thread(agent.pid(), "ward-tracer");
            List<Long> busy = busyProcesses(agent.pid());
            String allowed = tracer == null ? null : field(tracer.resolve("status"), "Cpus_allowed_list:");
            if (allowed != null && !busy.isEmpty() && System.nanoTime() - start > 1_500_000_000L) {
                taken++;
                if (allowed.matches("[0-9]+")) {
                    confined++;
                }
            }
            Thread.sleep(5);
        }
        var r = AgentProcess.finish(agent, dir.resolve("telemetry.jsonl"), dir.resolve("agent.out"), err);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(taken).as("samples taken; stderr: %s", r.stderr()).isGreaterThan(50);
        return new Samples(taken, confined, r.stderr());
    }

    private static Path thread(long pid, String name) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.filter(t -> name.equals(read(t.resolve("comm")).strip())).findFirst().orElse(null);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /** The workload's bash processes that run the loop: the agent's descendants without children of their own. */
    private static List<Long> busyProcesses(long agent) throws IOException {
        List<Long> leaves = new ArrayList<>();
        List<Long> todo = new ArrayList<>(List.of(agent));
        while (!todo.isEmpty()) {
            long pid = todo.removeLast();
            List<Long> children = children(pid);
            if (children.isEmpty() && pid != agent && read(Path.of("/proc/" + pid + "/comm")).strip().equals("bash")) {
                leaves.add(pid);
            }
            todo.addAll(children);
        }
        return leaves;
    }

    private static List<Long> children(long pid) throws IOException {
        List<Long> all = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                for (String c : read(t.resolve("children")).trim().split("\\s+")) {
                    if (!c.isEmpty()) {
                        all.add(Long.parseLong(c));
                    }
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        }
        return all;
    }

    private static String field(Path status, String name) {
        for (String line : read(status).split("\n")) {
            if (line.startsWith(name)) {
                return line.substring(name.length()).strip();
            }
        }
        return null;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
