package dev.ward.bench.capture;

import dev.ward.capture.ConnectRedirector;
import dev.ward.capture.Family;
import dev.ward.capture.Supervisor;
import dev.ward.capture.SyscallEvent;
import dev.ward.capture.TraceListener;
import dev.ward.capture.Verdict;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What does the mesh's transparent capture add to one connect()? A Python loop times N blocking connects (the
 * connect call alone) to a local listener standing for the capture port, three ways: untraced (what a workload
 * with the capture off pays: connect is not trapped without network rules); under the tracer with the capture
 * on, to the listener's own loopback address (a stop, left alone); and to 198.51.100.7:80, which the capture
 * redirects to the listener. The three run in turn, ROUNDS times, side by side. Prints the 10th percentile, median,
 * mean and p99 in microseconds of each, and the CPU time per connect of the workload (its own, the kernel's work for
 * it included), of this JVM (the tracer, and the listener's accepts) and of the tracer thread alone (its stops:
 * GETREGS, the capture's work, CONT; what it waits for is not in it), and the bytes the tracer thread allocated per
 * connect (start and warm-up included). The 10th percentile and CPU time are what a
 * loaded machine blurs least. With {@code -Dcapture.rst=true} each socket is closed with SO_LINGER 0 (a reset), so that
 * no TIME_WAIT sockets pile up on loopback: the redirect's bind(127.0.0.1:0) has to search past those ports, which
 * costs milliseconds per bind once most of the ephemeral range is in TIME_WAIT (docs/benchmarks.md).
 *
 * <p>Run: {@code ./mvnw -B -ntp -q -o package -pl ward-bench -am -DskipTests} then
 * {@code java --enable-native-access=ALL-UNNAMED -cp 'ward-bench/target/classes:ward-bench/target/lib/*'
 * dev.ward.bench.capture.ConnectCaptureBenchmark [N [ROUNDS]]}.
 */
public final class ConnectCaptureBenchmark {
    private static final String MESHED = "198.51.100.7";
    /** -Dcapture.rst=true: each socket closed with SO_LINGER 0, leaving no TIME_WAIT on loopback. */
    private static final String CLOSE = Boolean.getBoolean("capture.rst") ? "rst" : "fin";
    private static final String LOOP = """
            import socket, struct, sys, time
            host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
            rst = struct.pack('ii', 1, 0) if sys.argv[5:] == ['rst'] else None
            def once():
                s = socket.socket()
                t = time.perf_counter_ns(); s.connect((host, port)); d = time.perf_counter_ns() - t
                if rst:
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, rst)
                s.close()
                return d
            for _ in range(500):
                once()
            cpu = time.process_time_ns()
            ds = sorted(once() for _ in range(n))
            cpu = time.process_time_ns() - cpu
            us = [ds[n // 10] / 1e3, ds[n // 2] / 1e3, sum(ds) / n / 1e3, ds[n * 99 // 100] / 1e3, cpu / n / 1e3]
            print(' '.join('%.1f' % u for u in us), flush=True)
            time.sleep(float(sys.argv[4]))  # the tracer's CPU is read meanwhile
            """;

    private ConnectCaptureBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("ward-capture-bench");
        Path script = Files.writeString(dir.resolve("loop.py"), LOOP);
        Map<InetSocketAddress, InetSocketAddress> sources = new ConcurrentHashMap<>();
        try (ServerSocket port = new ServerSocket(0, 4096, InetAddress.ofLiteral("127.0.0.1"))) {
            Thread.ofPlatform().daemon(true).start(() -> acceptAll(port, sources));
            String p = Integer.toString(port.getLocalPort());
            String nn = Integer.toString(n);
            // Like the agent's redirector: one lookup of the destination's address, the capture address a constant.
            InetAddress meshed = InetAddress.ofLiteral(MESHED);
            Optional<InetSocketAddress> listener = Optional.of((InetSocketAddress) port.getLocalSocketAddress());
            ConnectRedirector capture = new ConnectRedirector() {
                @Override
                public Optional<InetSocketAddress> target(InetSocketAddress destination, int pid) {
                    return meshed.equals(destination.getAddress()) ? listener : Optional.empty();
                }

                @Override
                public void redirected(InetSocketAddress source, InetSocketAddress destination, int pid, int tid,
                        String processName) {
                    sources.put(source, destination);
                }
            };
            System.out.println("connect() µs: p10 median mean p99, CPU per connect: workload agent tracer,"
                    + " then the tracer's bytes allocated per connect; N=" + n);
            for (int round = 1; round <= rounds; round++) {
                // Untraced first: while a tracer runs it reaps every child of this JVM.
                long cpu = agentCpu();
                Process untraced = new ProcessBuilder("python3", script.toString(), "127.0.0.1", p, nn, "0", CLOSE)
                        .redirectErrorStream(true).start();
                String direct = new String(untraced.getInputStream().readAllBytes()).strip();
                untraced.waitFor(60, TimeUnit.SECONDS);
                direct += perConnect(agentCpu() - cpu, n) + " - -";
                String loopback = traced(dir, script, capture, "127.0.0.1", p, nn, agentCpu(), n);
                String redirected = traced(dir, script, capture, MESHED, "80", nn, agentCpu(), n);
                System.out.println("round " + round + " (load " + load() + ")");
                System.out.println("untraced, to the listener:            " + direct);
                System.out.println("capture on, to the listener (a stop): " + loopback);
                System.out.println("capture on, redirected to it:         " + redirected);
            }
            System.out.println("left in the redirect table: " + sources.size());
        }
    }

    /** One traced run: the loop's figures, then the agent's and the tracer thread's CPU per connect. */
    private static String traced(Path dir, Path script, ConnectRedirector capture, String host, String port, String n,
            long agentStart, int count) throws Exception {
        Path out = dir.resolve("out-" + host);
        Files.deleteIfExists(out);
        Supervisor s = Supervisor.start(new Supervisor.Spec("/bin/sh", List.of("sh", "-c", "exec python3 " + script
                + " " + host + " " + port + " " + n + " 1 " + CLOSE + " > " + out), List.of("PATH=/usr/bin:/bin"), dir.toString(),
                EnumSet.noneOf(Family.class)), new Untouched(), capture);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while ((!Files.exists(out) || Files.size(out) == 0) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long[] tracer = tracerCpuAndBytes(); // while the workload sleeps after its loop: no stop now
        String agent = perConnect(agentCpu() - agentStart, count);
        s.awaitExit();
        return Files.readString(out).strip() + agent + (tracer == null ? " ? ?" : perConnect(tracer[0], count)
                + " " + tracer[1] / (count + 500));
    }

    /** CPU time (ns) and bytes allocated so far of the live tracer thread ("ward-tracer"); null when none. */
    private static long[] tracerCpuAndBytes() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("ward-tracer") && t.isAlive()) {
                return new long[] {threads.getThreadCpuTime(t.threadId()),
                    threads.getThreadAllocatedBytes(t.threadId())};
            }
        }
        return null;
    }

    private static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    /** This JVM's CPU time so far, ns. */
    private static long agentCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The agent's CPU per connect, warm-up included in the count (µs). */
    private static String perConnect(long cpuNanos, int n) {
        return String.format(" %.1f", cpuNanos / 1e3 / (n + 500));
    }

    private static void acceptAll(ServerSocket port, Map<InetSocketAddress, InetSocketAddress> sources) {
        while (!port.isClosed()) {
            try (Socket c = port.accept()) {
                sources.remove((InetSocketAddress) c.getRemoteSocketAddress()); // what the mesh proxy looks up
            } catch (IOException e) {
                // closed
            }
        }
    }

    /** A listener that decides nothing: the agent with no policy and no logs. */
    private static final class Untouched implements TraceListener {
        @Override
        public boolean wants(dev.ward.capture.Syscall syscall) {
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
