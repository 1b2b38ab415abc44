package dev.ward.bench.mesh;

import dev.ward.mesh.InboundAuthorizer;
import dev.ward.mesh.Mesh;
import dev.ward.mesh.MeshEvents;
import dev.ward.mesh.MeshPeer;
import dev.ward.mesh.MeshSettings;
import dev.ward.mesh.Redirects;
import dev.ward.mesh.SpiffeId;
import dev.ward.mesh.WorkloadCertificate;
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
import org.HdrHistogram.Histogram;

/**
 * What does the mesh add between two tasks? (issue 14) Two {@link Mesh} instances in this JVM stand for two tasks
 * (A at 127.0.0.2, B at 127.0.0.3, each with its own certificate), B's application a small HTTP/1.1 server on
 * 127.0.0.1 answering 1 KiB. The same client measures, direct to the application and through A's SOCKS5 port,
 * A's HBONE connection (mutual TLS 1.3, HTTP/2) and B's inbound port:
 * <ul>
 *   <li>latency at a constant 1,000 requests/s over 4 keep-alive connections (Istio's method), p50 / p99 / p99.9
 *       (targets: p50 at most +0.25 ms, p99 at most +1.0 ms);</li>
 *   <li>saturated requests/s over 4 connections, closed loop (target: mesh at least 0.5 x direct);</li>
 *   <li>one connection's bulk throughput, 1 GiB written and half-closed (target: 1 GB/s).</li>
 * </ul>
 * Everything (client, both meshes, the application) shares the machine's cores, as two tasks on one host would not.
 *
 * <p>Run: {@code ward-bench/mesh.sh} (durations: {@code -Dmesh.seconds=30 -Dmesh.warmup=2 -Dmesh.rounds=3}: each measure
 * is split in rounds that alternate direct and mesh, so that a change in the machine's load hits both).
 */
public final class MeshBenchmark {

    private static final long SECONDS = Long.getLong("mesh.seconds", 30);
    private static final long WARMUP = Long.getLong("mesh.warmup", 2);
    private static final int ROUNDS = Integer.getInteger("mesh.rounds", 3);
    private static final int CONNECTIONS = 4;
    private static final int RATE = 1000;
    private static final long BULK = 1L << 30;

    private MeshBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        TestCa ca = TestCa.create("bench");
        InetAddress addressA = InetAddress.ofLiteral("127.0.0.2");
        InetAddress addressB = InetAddress.ofLiteral("127.0.0.3");
        SpiffeId idA = new SpiffeId("cluster.local", "bench", "client");
        SpiffeId idB = new SpiffeId("cluster.local", "bench", "server");
        try (KiloServer app = new KiloServer();
             ServerSocket sink = sink();
             Mesh b = start(addressB, ca.issue(idB), Map.of());
             Mesh a = start(addressA, ca.issue(idA), Map.of(addressB, new MeshPeer(idB,
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), b.hboneAddress().getPort()), "b")))) {
            System.out.printf(Locale.ROOT, "mesh benchmark: %s, %d CPUs, load average %s%n", a.engine(),
                    Runtime.getRuntime().availableProcessors(), load());
            HttpLoad.Dialer direct = () -> new Socket(InetAddress.getLoopbackAddress(), app.port());
            HttpLoad.Dialer meshed = () -> socks(a.proxyAddress(), new InetSocketAddress(addressB, app.port()));
            Histogram d = new Histogram(3);
            Histogram m = new Histogram(3);
            double[] sd = new double[ROUNDS];
            double[] sm = new double[ROUNDS];
            long slice = SECONDS * 1000 / ROUNDS;
            for (int r = 0; r < ROUNDS; r++) {
                d.add(HttpLoad.constantRate(direct, CONNECTIONS, RATE, WARMUP * 1000, slice));
                m.add(HttpLoad.constantRate(meshed, CONNECTIONS, RATE, WARMUP * 1000, slice));
            }
            for (int r = 0; r < ROUNDS; r++) {
                sd[r] = HttpLoad.saturated(direct, CONNECTIONS, WARMUP * 1000, slice);
                sm[r] = HttpLoad.saturated(meshed, CONNECTIONS, WARMUP * 1000, slice);
            }
            System.out.printf(Locale.ROOT, "%n1,000 req/s, 4 connections, %d s in %d rounds (µs)   p50      p90"
                    + "      p99    p99.9      max   count%n", SECONDS, ROUNDS);
            row("direct", d);
            row("mesh", m);
            System.out.printf(Locale.ROOT, "%-48s %+8.0f %+8.0f %+8.0f %+8.0f%n", "added by the mesh",
                    diff(m, d, 50), diff(m, d, 90), diff(m, d, 99), diff(m, d, 99.9));
            Arrays.sort(sd);
            Arrays.sort(sm);
            System.out.printf(Locale.ROOT, "%nsaturated, 4 connections (median of %d): direct %.0f req/s, mesh %.0f "
                    + "req/s, ratio %.2f%n", ROUNDS, sd[ROUNDS / 2], sm[ROUNDS / 2], sm[ROUNDS / 2] / sd[ROUNDS / 2]);
            int sinkPort = sink.getLocalPort();
            double[] bd = new double[3];
            double[] bm = new double[3];
            for (int i = 0; i < 3; i++) {
                bd[i] = HttpLoad.bulk(new Socket(InetAddress.getLoopbackAddress(), sinkPort), BULK);
                bm[i] = HttpLoad.bulk(socks(a.proxyAddress(), new InetSocketAddress(addressB, sinkPort)), BULK);
            }
            Arrays.sort(bd);
            Arrays.sort(bm);
            System.out.printf(Locale.ROOT, "one stream, 1 GiB (median of 3): direct %.0f MB/s, mesh %.0f MB/s "
                    + "(best %.0f)%n", bd[1], bm[1], bm[2]);
            System.out.printf(Locale.ROOT, "%nmesh A counters: %s%nload average at the end %s%n", a.counters(),
                    load());
        }
    }

    private static Mesh start(InetAddress address, WorkloadCertificate certificate, Map<InetAddress, MeshPeer> peers)
            throws IOException {
        MeshSettings settings = MeshSettings.of("cluster.local", List.of(address)).withEphemeralPorts(true)
                .withHbone(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return Mesh.start(settings, () -> Optional.of(certificate), ip -> Optional.ofNullable(peers.get(ip)),
                MeshEvents.NONE, Redirects.NONE, InboundAuthorizer.ALLOW_ALL);
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

    /** Reads every connection to its end, then closes it. */
    private static ServerSocket sink() throws IOException {
        ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofPlatform().daemon().start(() -> {
                        try (s) {
                            s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
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

    private static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
