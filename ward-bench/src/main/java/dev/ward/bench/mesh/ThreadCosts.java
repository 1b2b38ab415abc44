package dev.ward.bench.mesh;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the threads whose names start with a prefix (the meshes' event loops: {@code ward-mesh-}) cost between two
 * snapshots: CPU time and the time they waited on a run queue, ready but without a core ({@code
 * /proc/self/task/<tid>/schedstat}; the kernel's part of the CPU from {@code stat}), their voluntary and
 * involuntary context switches (wake-ups from epoll, preemptions: {@code status}) and the bytes
 * they allocated on the heap ({@code com.sun.management.ThreadMXBean}). Divided by a request count, these say where
 * a request's time goes when the latency is not the mesh's own work.
 */
record ThreadCosts(long cpuNanos, long kernelTicks, long runQueueNanos, long wakeUps, long preemptions,
                   long allocatedBytes) {

    private static final Path TASKS = Path.of("/proc/self/task");

    static ThreadCosts of(String prefix) {
        long cpu = 0;
        long kernel = 0;
        long wait = 0;
        long woken = 0;
        long preempted = 0;
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : tasks.toList()) {
                try {
                    if (!Files.readString(task.resolve("comm")).startsWith(prefix)) {
                        continue;
                    }
                    String[] sched = Files.readString(task.resolve("schedstat")).strip().split(" ");
                    cpu += Long.parseLong(sched[0]);
                    wait += Long.parseLong(sched[1]);
                    String stat = Files.readString(task.resolve("stat"));
                    kernel += Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[12]);
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            preempted += Long.parseLong(line.substring(27).strip());
                        } else if (line.startsWith("voluntary_ctxt_switches:")) {
                            woken += Long.parseLong(line.substring(24).strip());
                        }
                    }
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between the listing and the read: it has nothing more to count
                }
            }
        } catch (IOException e) {
            return new ThreadCosts(-1, -1, -1, -1, -1, allocated(prefix));
        }
        return new ThreadCosts(cpu, kernel, wait, woken, preempted, allocated(prefix));
    }

    /** CPU time of every thread of this process so far, those that ended too (each stream's sink), in ns. */
    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    ThreadCosts since(ThreadCosts before) {
        return new ThreadCosts(cpuNanos - before.cpuNanos, kernelTicks - before.kernelTicks,
                runQueueNanos - before.runQueueNanos, wakeUps - before.wakeUps, preemptions - before.preemptions,
                allocatedBytes - before.allocatedBytes);
    }

    /**
     * Per request: CPU µs (of which in the kernel, from 10 ms ticks), run-queue wait µs, wake-ups (voluntary
     * switches: the thread slept in epoll and was woken), preemptions, allocated bytes.
     */
    String perRequest(long requests) {
        return String.format(java.util.Locale.ROOT, "CPU %.0f µs (kernel %.0f), run-queue wait %.0f µs, %.2f "
                + "wake-ups, %.2f preemptions, %.0f B allocated", cpuNanos / 1e3 / requests, kernelTicks * 1e4 / requests,
                runQueueNanos / 1e3 / requests, (double) wakeUps / requests, (double) preemptions / requests,
                (double) allocatedBytes / requests);
    }

    private static long allocated(String prefix) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                long b = mx.getThreadAllocatedBytes(t.threadId());
                sum += Math.max(0, b);
            }
        }
        return sum;
    }
}
