package dev.ward.bench.capture;

import dev.ward.capture.ConnectRedirector;
import dev.ward.capture.Family;
import dev.ward.capture.Supervisor;
import dev.ward.capture.Syscall;
import dev.ward.capture.SyscallEvent;
import dev.ward.capture.TraceListener;
import dev.ward.capture.Verdict;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The rows run in this JVM: the floor's workload loop (capturefloor -t) untraced, and under Ward's tracer with the
 * capture on, either to the stand-in port's own loopback address (a stop, left alone) or to {@link #MESHED}, which
 * the capture redirects to the stand-in port. CPU is read at the workload's two hand-overs (after its warm-up, after
 * its timed connects), so that it covers the timed connects alone, as the floor's does.
 */
final class WardRows {
    static final String MESHED = "198.51.100.7:80";

    private final Path program;
    private final Path dir;
    private final int n;
    private final int warm;
    private final StandInPort port;
    private final ConnectRedirector capture;

    WardRows(Path program, Path dir, int n, int warm, StandInPort port) {
        this.program = program;
        this.dir = dir;
        this.n = n;
        this.warm = warm;
        this.port = port;
        InetAddress meshed = InetAddress.ofLiteral(MESHED.substring(0, MESHED.indexOf(':')));
        Optional<InetSocketAddress> listener = Optional.of(port.address());
        // Like the agent's redirector: one lookup of the destination's address, the capture address a constant.
        this.capture = new ConnectRedirector() {
            @Override
            public Optional<InetSocketAddress> target(InetSocketAddress destination, int pid) {
                return meshed.equals(destination.getAddress()) ? listener : Optional.empty();
            }

            @Override
            public void redirected(InetSocketAddress source, InetSocketAddress destination, int pid, int tid,
                    String processName) {
                port.redirected(source, destination);
            }
        };
    }

    /** The workload untraced, to the stand-in port. */
    Figures untraced() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(local())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8)); OutputStream in = p.getOutputStream()) {
            expect(out.readLine(), "warm");
            long cpu = processCpu();
            in.write('\n');
            in.flush();
            String result = out.readLine();
            double perConnect = (processCpu() - cpu) / 1e3 / n;
            in.close();
            p.waitFor(60, TimeUnit.SECONDS);
            return Figures.of(result, -1, perConnect, -1);
        }
    }

    /**
     * The workload under Ward's tracer, connecting to {@code hostPort} (the stand-in port's, or {@link #MESHED}). Its
     * standard streams are the two FIFOs {@code in} and {@code out} of {@code dir}, so that this thread sleeps in a
     * read while connects are timed.
     */
    Figures traced(String hostPort) throws Exception {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        Supervisor s = Supervisor.start(new Supervisor.Spec("/bin/sh", List.of("sh", "-c", "exec "
                + String.join(" ", command(hostPort)) + " < " + in + " > " + out), List.of("PATH=/usr/bin:/bin"),
                dir.toString(), EnumSet.noneOf(Family.class)), new Untouched(), capture);
        // The shell opens "in", then "out": each open waits for the other end's.
        try (OutputStream toWorkload = Files.newOutputStream(in); BufferedReader fromWorkload =
                Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
            expect(fromWorkload.readLine(), "warm");
            long[] tracer = tracerCpuAndBytes();
            long cpu = processCpu();
            toWorkload.write('\n');
            toWorkload.flush();
            String result = fromWorkload.readLine();
            long[] tracerEnd = tracerCpuAndBytes();
            double perConnect = (processCpu() - cpu) / 1e3 / n;
            toWorkload.close();
            s.awaitExit();
            return Figures.of(result, (tracerEnd[0] - tracer[0]) / 1e3 / n, perConnect,
                    (tracerEnd[1] - tracer[1]) / n);
        }
    }

    /** The stand-in port's address, for the workload's -t. */
    String local() {
        return port.address().getAddress().getHostAddress() + ":" + port.address().getPort();
    }

    private List<String> command(String hostPort) {
        return List.of(program.toString(), "-t", hostPort, "-n", Integer.toString(n), "-w", Integer.toString(warm));
    }

    private static void expect(String line, String wanted) {
        if (!wanted.equals(line)) {
            throw new IllegalStateException("the workload said '" + line + "', expected '" + wanted + "'");
        }
    }

    /** CPU time (ns) and bytes allocated so far of the live tracer thread ("ward-tracer"). */
    private static long[] tracerCpuAndBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("ward-tracer") && t.isAlive()) {
                return new long[] {threads.getThreadCpuTime(t.threadId()),
                    threads.getThreadAllocatedBytes(t.threadId())};
            }
        }
        throw new IllegalStateException("no ward-tracer thread");
    }

    /** This JVM's CPU time so far, ns. */
    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** A listener that decides nothing: the agent with no policy and no logs. */
    private static final class Untouched implements TraceListener {
        @Override
        public boolean wants(Syscall syscall) {
            return false;
        }

        @Override
        public Verdict onSyscall(SyscallEvent event) {
            return Verdict.ALLOW;
        }

        @Override
        public boolean onSyscallExit(int tid, int tgid, long result) {
            return true;
        }

        @Override
        public void onSpawn(int parentTid, int parentTgid, int childTid, boolean thread) {
        }

        @Override
        public boolean onExec(int tid, int formerTid) {
            return true;
        }

        @Override
        public void onExit(int tid, int tgid, int status) {
        }
    }
}
