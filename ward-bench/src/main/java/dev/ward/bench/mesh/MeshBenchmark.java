package dev.ward.bench.mesh;

import dev.ward.mesh.HttpHead;
import dev.ward.mesh.InboundAuthorizer;
import dev.ward.mesh.InboundHttp;
import dev.ward.mesh.Mesh;
import dev.ward.mesh.MeshEvents;
import dev.ward.mesh.MeshPeer;
import dev.ward.mesh.MeshSettings;
import dev.ward.mesh.Redirects;
import dev.ward.mesh.SpiffeId;
import dev.ward.mesh.WorkloadCertificate;
import dev.ward.mesh.tls.MeshTls;
import dev.ward.mesh.testing.TestCa;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * What does the mesh add between two tasks? (issue 14) Two {@link Mesh} instances in this JVM stand for two tasks
 * (A at 127.0.0.2, B at 127.0.0.3, each with its own certificate), B's application a small HTTP/1.1 server on
 * 127.0.0.1 answering 1 KiB. The same client measures, direct to the application and through A's SOCKS5 port,
 * A's HBONE connection (mutual TLS 1.3, HTTP/2) and B's inbound port:
 * <ul>
 *   <li>latency at a constant 1,000 requests/s over 4 keep-alive connections (Istio's method), p50 / p99 / p99.9
 *       (targets: p50 at most +0.25 ms, p99 at most +1.0 ms, +1.2 ms with an L7 policy), after a JIT warm-up of
 *       every column; each round prints its own percentiles, the GC pauses in it and what the proxies' threads
 *       spent per request ({@link ThreadCosts}: CPU, run-queue wait, wake-ups, preemptions, allocation);</li>
 *   <li>saturated requests/s over 4 connections, closed loop (target: mesh at least 0.5 x direct);</li>
 *   <li>one connection's bulk throughput, 1 GiB written, the sink closing once it has it all (target: 1 GB/s), with
 *       the CPU the proxies' threads spent per GiB.</li>
 * </ul>
 * Columns: direct; through two plain {@link TcpRelay}s in series (the control: the same four extra thread wake-ups
 * per request as the mesh, without TLS, HTTP/2 or policy); through two TLS relays (mutual TLS 1.3 between them with
 * the mesh's contexts and engine, no HTTP/2: what TLS alone costs); mesh L4 (B allows the tunnel, bytes are
 * spliced); mesh L7 (a third mesh at 127.0.0.4 whose authorizer returns an {@link InboundHttp} per tunnel, so
 * every request is parsed and decided). Everything (client, meshes, relays, the application) shares the machine's
 * cores, as two tasks on one host would not.
 *
 * <p>Run: {@code ward-bench/mesh.sh} (durations: {@code -Dmesh.seconds=30 -Dmesh.warmup=2 -Dmesh.rounds=3
 * -Dmesh.jit=5}, {@code -Dmesh.parts=latency,saturated,bulk}, {@code -Dmesh.rate=1000}: each measure is split in
 * rounds that alternate the columns, so that a change in the machine's load hits all of them).
 */
public final class MeshBenchmark {

    private static final long SECONDS = Long.getLong("mesh.seconds", 30);
    private static final long WARMUP = Long.getLong("mesh.warmup", 2);
    private static final long JIT = Long.getLong("mesh.jit", 5);
    private static final int ROUNDS = Integer.getInteger("mesh.rounds", 3);
    private static final int CONNECTIONS = 4;
    private static final int RATE = Integer.getInteger("mesh.rate", 1000);
    private static final long BULK = Long.getLong("mesh.bulkMiB", 1024) << 20;
    private static final String PARTS = System.getProperty("mesh.parts", "latency,saturated,bulk");
    private static final String[] COLUMNS = {"direct", "2 TCP relays", "2 TLS relays", "mesh L4", "mesh L7"};
    /** Whose threads' costs each column reports: the relays' or the meshes' loops. */
    private static final String[] THREADS = {"ward-mesh-", "tcp-relay-", "tls-relay-", "ward-mesh-", "ward-mesh-"};
    /** The columns of the one-stream measure (the L7 path parses HTTP, which a byte stream is not). */
    private static final int BULK_COLUMNS = 4;

    private MeshBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        TestCa ca = TestCa.create("bench");
        InetAddress addressA = InetAddress.ofLiteral("127.0.0.2");
        InetAddress addressB = InetAddress.ofLiteral("127.0.0.3");
        InetAddress addressL7 = InetAddress.ofLiteral("127.0.0.4");
        SpiffeId idA = new SpiffeId("cluster.local", "bench", "client");
        SpiffeId idB = new SpiffeId("cluster.local", "bench", "server");
        KiloGate gate = new KiloGate();
        WorkloadCertificate certA = ca.issue(idA);
        WorkloadCertificate certB = ca.issue(idB);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (KiloServer app = new KiloServer();
             ServerSocket sink = sink();
             TcpRelay second = TcpRelay.plain(new InetSocketAddress(loopback, app.port()));
             TcpRelay first = TcpRelay.plain(second.address());
             TcpRelay tlsSecond = TcpRelay.tlsIn(new InetSocketAddress(loopback, app.port()), tls(certB).server());
             TcpRelay tlsFirst = TcpRelay.tlsOut(tlsSecond.address(), tls(certA).client());
             TcpRelay sinkSecond = TcpRelay.plain(new InetSocketAddress(loopback, sink.getLocalPort()));
             TcpRelay sinkFirst = TcpRelay.plain(sinkSecond.address());
             TcpRelay tlsSinkSecond = TcpRelay.tlsIn(new InetSocketAddress(loopback, sink.getLocalPort()),
                     tls(certB).server());
             TcpRelay tlsSinkFirst = TcpRelay.tlsOut(tlsSinkSecond.address(), tls(certA).client());
             Mesh b = start(addressB, certB, Map.of(), InboundAuthorizer.ALLOW_ALL);
             Mesh l7 = start(addressL7, ca.issue(idB), Map.of(), gate);
             Mesh a = start(addressA, certA, Map.of(addressB, peer(idB, b), addressL7, peer(idB, l7)),
                     InboundAuthorizer.ALLOW_ALL)) {
            System.out.printf(Locale.ROOT, "mesh benchmark: %s, %d CPUs, load average %s, parts %s%n", a.engine(),
                    Runtime.getRuntime().availableProcessors(), load(), PARTS);
            HttpLoad.Dialer[] dialers = {
                () -> direct(app.port()),
                () -> direct(first.address().getPort()),
                () -> direct(tlsFirst.address().getPort()),
                () -> socks(a.proxyAddress(), new InetSocketAddress(addressB, app.port())),
                () -> socks(a.proxyAddress(), new InetSocketAddress(addressL7, app.port()))};
            HttpLoad.Dialer[] bulkDialers = {
                () -> direct(sink.getLocalPort()),
                () -> direct(sinkFirst.address().getPort()),
                () -> direct(tlsSinkFirst.address().getPort()),
                () -> socks(a.proxyAddress(), new InetSocketAddress(addressB, sink.getLocalPort()))};
            if (PARTS.contains("latency")) {
                latency(dialers);
            }
            if (PARTS.contains("saturated")) {
                saturated(dialers);
            }
            if (PARTS.contains("bulk")) {
                bulk(bulkDialers);
            }
            if (gate.decided.sum() == 0 && !PARTS.equals("bulk")) {
                throw new IllegalStateException("the L7 column did not go through the L7 path");
            }
            System.out.printf(Locale.ROOT, "%nmesh A counters: %s%nL7 requests decided: %d%nload average at the end"
                    + " %s%n", a.counters(), gate.decided.sum(), load());
        }
    }

    private static void latency(HttpLoad.Dialer[] dialers) throws Exception {
        Histogram[] h = new Histogram[COLUMNS.length];
        for (int c = 0; c < h.length; c++) {
            h[c] = new Histogram(3);
        }
        long slice = SECONDS * 1000 / ROUNDS;
        for (HttpLoad.Dialer dialer : dialers) {
            HttpLoad.constantRate(dialer, CONNECTIONS, RATE, JIT * 1000, 0);
        }
        for (int r = 0; r < ROUNDS; r++) {
            for (int c = 0; c < h.length; c++) {
                ThreadCosts before = ThreadCosts.of(THREADS[c]);
                long[] gc = gc();
                Histogram round = HttpLoad.constantRate(dialers[c], CONNECTIONS, RATE, WARMUP * 1000, slice);
                ThreadCosts spent = ThreadCosts.of(THREADS[c]).since(before);
                long[] gcAfter = gc();
                h[c].add(round);
                long requests = (long) RATE * (WARMUP * 1000 + slice) / 1000;
                System.out.printf(Locale.ROOT, "round %d %-12s p50 %5d p99 %6d p99.9 %6d max %6d µs; GC %d pauses "
                        + "%d ms; proxy threads per request: %s; load %s%n", r + 1, COLUMNS[c],
                        round.getValueAtPercentile(50), round.getValueAtPercentile(99),
                        round.getValueAtPercentile(99.9), round.getMaxValue(), gcAfter[0] - gc[0], gcAfter[1] - gc[1],
                        spent.perRequest(requests), load());
            }
        }
        System.out.printf(Locale.ROOT, "%n%,d req/s, %d connections, %d s in %d rounds (µs)       p50      p90"
                + "      p99    p99.9      max   count%n", RATE, CONNECTIONS, SECONDS, ROUNDS);
        for (int c = 0; c < h.length; c++) {
            row(COLUMNS[c], h[c]);
        }
        for (int c = 1; c < h.length; c++) {
            System.out.printf(Locale.ROOT, "%-48s %+8.0f %+8.0f %+8.0f %+8.0f%n", "added by " + COLUMNS[c],
                    diff(h[c], h[0], 50), diff(h[c], h[0], 90), diff(h[c], h[0], 99), diff(h[c], h[0], 99.9));
        }
        System.out.printf(Locale.ROOT, "load average after the latency rounds %s%n", load());
    }

    private static void saturated(HttpLoad.Dialer[] dialers) throws Exception {
        long slice = SECONDS * 1000 / ROUNDS;
        double[][] s = new double[COLUMNS.length][ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            for (int c = 0; c < COLUMNS.length; c++) {
                s[c][r] = HttpLoad.saturated(dialers[c], CONNECTIONS, WARMUP * 1000, slice);
            }
        }
        System.out.printf(Locale.ROOT, "%nsaturated, %d connections (median of %d):", CONNECTIONS, ROUNDS);
        for (int c = 0; c < COLUMNS.length; c++) {
            Arrays.sort(s[c]);
            System.out.printf(Locale.ROOT, " %s %.0f req/s (%.2f),", COLUMNS[c], s[c][ROUNDS / 2],
                    s[c][ROUNDS / 2] / s[0][ROUNDS / 2]);
        }
        System.out.printf(Locale.ROOT, " load average %s%n", load());
    }

    /**
     * One stream per column, rounds alternating the columns: MB/s, the proxies' threads' CPU per GiB and the whole
     * process's (writer, proxies, reader, JVM), whose inverse times the CPUs is this column's ceiling on this machine.
     */
    private static void bulk(HttpLoad.Dialer[] dialers) throws IOException {
        double gib = BULK / (double) (1 << 30);
        double[][] rate = new double[BULK_COLUMNS][ROUNDS];
        double[][] cpu = new double[BULK_COLUMNS][ROUNDS];
        double[][] all = new double[BULK_COLUMNS][ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            for (int c = 0; c < BULK_COLUMNS; c++) {
                ThreadCosts before = ThreadCosts.of(THREADS[c]);
                long process = ThreadCosts.processCpu();
                rate[c][r] = HttpLoad.bulk(dialers[c].dial(), BULK);
                cpu[c][r] = c == 0 ? 0 : ThreadCosts.of(THREADS[c]).since(before).cpuNanos() / 1e9 / gib;
                all[c][r] = (ThreadCosts.processCpu() - process) / 1e9 / gib;
                System.out.printf(Locale.ROOT, "one stream round %d %-12s %6.0f MB/s, CPU s/GiB: proxy threads %.2f,"
                        + " process %.2f; load %s%n", r + 1, COLUMNS[c], rate[c][r], cpu[c][r], all[c][r], load());
            }
        }
        System.out.printf(Locale.ROOT, "%none stream, %d MiB (median of %d):", BULK >> 20, ROUNDS);
        int cpus = Runtime.getRuntime().availableProcessors();
        for (int c = 0; c < BULK_COLUMNS; c++) {
            Arrays.sort(rate[c]);
            Arrays.sort(cpu[c]);
            Arrays.sort(all[c]);
            System.out.printf(Locale.ROOT, "%n  %-12s %5.0f MB/s (best %5.0f); CPU s/GiB: proxies %.2f, process %.2f"
                    + " (CPU-bound at %.0f MB/s on %d CPUs)", COLUMNS[c], rate[c][ROUNDS / 2], rate[c][ROUNDS - 1],
                    cpu[c][ROUNDS / 2], all[c][ROUNDS / 2], cpus / all[c][ROUNDS / 2] * (1 << 30) / 1e6, cpus);
        }
        System.out.printf(Locale.ROOT, "%nload average %s%n", load());
    }

    /** The mesh's TLS contexts for one certificate, for the TLS relays. */
    private static MeshTls.Contexts tls(WorkloadCertificate certificate) throws IOException {
        return new MeshTls(() -> Optional.of(certificate), "cluster.local", MeshSettings.TlsEngine.AUTO).current()
                .orElseThrow();
    }

    private static MeshPeer peer(SpiffeId id, Mesh mesh) {
        return new MeshPeer(id, new InetSocketAddress(InetAddress.getLoopbackAddress(), mesh.hboneAddress().getPort()),
                "b");
    }

    private static Mesh start(InetAddress address, WorkloadCertificate certificate, Map<InetAddress, MeshPeer> peers,
                              InboundAuthorizer authorizer) throws IOException {
        MeshSettings settings = MeshSettings.of("cluster.local", List.of(address)).withEphemeralPorts(true)
                .withHbone(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return Mesh.start(settings, () -> Optional.of(certificate), ip -> Optional.ofNullable(peers.get(ip)),
                MeshEvents.NONE, Redirects.NONE, authorizer);
    }

    /** To the application, with the same socket options as through the proxy. */
    private static Socket direct(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    /** SOCKS5 CONNECT to an IPv4 destination, no authentication. */
    private static Socket socks(InetSocketAddress proxy, InetSocketAddress destination) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(proxy);
        byte[] ip = destination.getAddress().getAddress();
        int port = destination.getPort();
        s.getOutputStream().write(new byte[] {5, 1, 0, 5, 1, 0, 1, ip[0], ip[1], ip[2], ip[3],
                (byte) (port >> 8), (byte) port});
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] reply = new byte[2 + 10];
        in.readFully(reply);
        if (reply[3] != 0) {
            s.close();
            throw new IOException("SOCKS5 reply " + reply[3]);
        }
        return s;
    }

    /** Reads {@code BULK} bytes from every connection, then closes it (the writer's signal that all arrived). */
    private static ServerSocket sink() throws IOException {
        ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofPlatform().daemon().start(() -> {
                        try (s) {
                            byte[] buffer = new byte[1 << 20];
                            var in = s.getInputStream();
                            for (long left = BULK; left > 0; ) {
                                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                                if (n < 0) {
                                    return;
                                }
                                left -= n;
                            }
                        } catch (IOException ignored) {
                            // the writer went away: its side measures
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    private static void row(String name, Histogram h) {
        System.out.printf(Locale.ROOT, "%-48s %8d %8d %8d %8d %8d %7d%n", name, h.getValueAtPercentile(50),
                h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
                h.getMaxValue(), h.getTotalCount());
    }

    private static double diff(Histogram m, Histogram d, double percentile) {
        return m.getValueAtPercentile(percentile) - d.getValueAtPercentile(percentile);
    }

    /** Collections so far and their total time in ms, all collectors. */
    private static long[] gc() {
        long[] sum = new long[2];
        for (var bean : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            sum[0] += Math.max(0, bean.getCollectionCount());
            sum[1] += Math.max(0, bean.getCollectionTime());
        }
        return sum;
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * B's authorizer in the "mesh L7" column: every tunnel gets an {@link InboundHttp}, so the inbound side parses
     * each HTTP/1.1 request and asks it (as with an AuthorizationPolicy that has L7 fields); it allows
     * {@code GET /kilo} and counts its decisions.
     */
    private static final class KiloGate implements InboundAuthorizer {
        final LongAdder decided = new LongAdder();

        @Override
        public boolean allow(Request request) {
            return false;
        }

        @Override
        public InboundHttp http(Request request) {
            return new InboundHttp() {
                @Override
                public Verdict request(HttpHead head) {
                    decided.increment();
                    return "GET".contentEquals(head.method()) && "/kilo".contentEquals(head.path()) ? Verdict.ALLOW
                            : Verdict.DENY;
                }

                @Override
                public boolean unparsed(String why) {
                    return false;
                }
            };
        }
    }
}
