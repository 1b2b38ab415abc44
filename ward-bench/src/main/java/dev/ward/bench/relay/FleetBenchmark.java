package dev.ward.bench.relay;

import dev.ward.relay.api.ApplyRequest;
import dev.ward.relay.api.RelayAdminGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Does one relay hold a fleet? (issue 16) 10,000 connected agents (simulated streams, 100 per HTTP/2
 * connection) idle but for a steady trickle of alerts (each agent one alert every 10 s: 1,000 alerts/s in all),
 * measured for: the relay's resident memory (target at most 1 GiB), the time a policy change takes to reach every
 * one of them (target at most 2 s; the policy selects them all), and, with the fleet still connected, how many
 * events per second the relay stores and acknowledges from 100 busy agents (batches of 500 alerts, at most 8
 * unacknowledged, as the agent sends them; target at least 200,000/s).
 *
 * <p>The relay runs in a JVM of its own ({@code ward relay}, SQLite store in a temporary directory, JVM flags
 * from {@code WARD_FLEET_RELAY_JVM}, default {@code -Xmx512m}), so its RSS is read from /proc alone. The
 * simulated agents run in this JVM, on the same cores: their own work is part of what the machine does.
 *
 * <p>Run: {@code ward-bench/fleet.sh} (sizes: {@code -Dfleet.agents=10000 -Dfleet.busy=100 -Dfleet.batches=100}).
 */
public final class FleetBenchmark {
    static final int AGENTS = Integer.getInteger("fleet.agents", 10_000);
    static final int PER_CONNECTION = 100;
    static final int BUSY = Integer.getInteger("fleet.busy", 100);
    static final int BATCH = 500;
    static final int WINDOW = 8;
    static final int BATCHES = Integer.getInteger("fleet.batches", 100);
    static final String AGENT_TOKEN = "fleet-agent-token";
    static final String ADMIN_TOKEN = "fleet-admin-token";

    private FleetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("ward-fleet-");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process relay = startRelay(dir, port);
        List<ManagedChannel> channels = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            String target = "127.0.0.1:" + port;
            ManagedChannel admin = NettyChannelBuilder.forTarget(target).usePlaintext().build();
            channels.add(admin);
            System.out.printf(Locale.ROOT, "fleet: relay pid %d, RSS at start %s%n", relay.pid(), rss(relay));

            // 1. The fleet connects: every agent has its first policy set.
            List<SimulatedFleet.Agent> fleet = SimulatedFleet.agents("idle", AGENTS);
            long start = System.nanoTime();
            ManagedChannel channel = null;
            for (int i = 0; i < AGENTS; i++) {
                if (i % PER_CONNECTION == 0) {
                    channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
                    channels.add(channel);
                }
                fleet.get(i).connect(channel, AGENT_TOKEN, "fleet");
            }
            await("every agent's first policy set", 120, () -> fleet.stream().allMatch(a -> a.policyVersion >= 0));
            System.out.printf(Locale.ROOT, "fleet: %d agents connected in %.1f s; relay RSS %s%n", AGENTS,
                    seconds(start), rss(relay));

            // 2. A steady trickle: each agent one alert every 10 s.
            byte[] one = SimulatedFleet.alerts("fleet", 1);
            int perTick = Math.max(1, AGENTS / 100); // 100 ticks of 100 ms = 10 s
            int[] next = {0};
            trickle.scheduleAtFixedRate(() -> {
                for (int k = 0; k < perTick; k++) {
                    fleet.get(next[0]++ % AGENTS).send(one);
                }
            }, 100, 100, TimeUnit.MILLISECONDS);
            Thread.sleep(10_000);
            System.out.printf(Locale.ROOT, "fleet: trickle of %d alerts/s for 10 s; relay RSS %s%n", perTick * 10,
                    rss(relay));

            // 3. Policy pushes to all of them.
            var adminStub = RelayAdminGrpc.newBlockingStub(admin).withCallCredentials(SimulatedFleet.bearer(ADMIN_TOKEN));
            List<Double> pushes = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                long t0 = System.nanoTime();
                var r = adminStub.withDeadlineAfter(60, TimeUnit.SECONDS).applyPolicies(ApplyRequest.newBuilder()
                        .setYaml(policy("/etc/secret-" + round)).build()).getResults(0);
                long version = r.getVersion();
                await("every agent has policy version " + version, 60,
                        () -> fleet.stream().allMatch(a -> a.policyVersion >= version));
                double s = seconds(t0);
                pushes.add(s);
                System.out.printf(Locale.ROOT, "fleet: policy change %d (%s, sent to %d agents) on every agent in "
                        + "%.3f s%n", round + 1, r.getStatus(), r.getAgents(), s);
                Thread.sleep(1_000);
            }

            // 4. 100 busy agents, the fleet still connected and trickling.
            List<SimulatedFleet.Agent> busy = new ArrayList<>();
            Semaphore[] windows = new Semaphore[BUSY];
            for (int i = 0; i < BUSY; i++) {
                Semaphore w = new Semaphore(WINDOW);
                windows[i] = w;
                busy.add(new SimulatedFleet.Agent("busy-" + i) {
                    private long released;

                    @Override
                    void onAck() {
                        long a = acked.get();
                        synchronized (this) {
                            if (a > released) {
                                w.release((int) (a - released));
                                released = a;
                            }
                        }
                    }
                });
                ManagedChannel c = NettyChannelBuilder.forTarget(target).usePlaintext().build();
                channels.add(c);
                busy.get(i).connect(c, AGENT_TOKEN, "busy");
            }
            await("the busy agents' first policy set", 60, () -> busy.stream().allMatch(a -> a.policyVersion >= 0));
            byte[] full = SimulatedFleet.alerts("busy", BATCH);
            long t0 = System.nanoTime();
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < BUSY; i++) {
                SimulatedFleet.Agent a = busy.get(i);
                Semaphore w = windows[i];
                senders.add(Thread.ofVirtual().start(() -> {
                    for (int b = 0; b < BATCHES; b++) {
                        w.acquireUninterruptibly();
                        a.send(full);
                    }
                }));
            }
            for (Thread t : senders) {
                t.join();
            }
            await("every busy batch acknowledged", 600, () -> busy.stream().allMatch(a -> a.acked.get() == BATCHES));
            double busySeconds = seconds(t0);
            long events = (long) BUSY * BATCHES * BATCH;
            trickle.shutdownNow();
            String peak = hwm(relay);
            System.out.printf(Locale.ROOT, "fleet: %d busy agents stored %,d events in %.1f s: %,.0f events/s "
                    + "(with %d idle agents connected); relay RSS %s, peak %s%n", BUSY, events, busySeconds,
                    events / busySeconds, AGENTS, rss(relay), peak);
            long failed = fleet.stream().filter(a -> a.failed != null).count()
                    + busy.stream().filter(a -> a.failed != null).count();
            pushes.sort(null);
            System.out.printf(Locale.ROOT, "fleet: SUMMARY agents=%d rss_peak=%s push_median=%.3fs push_max=%.3fs "
                    + "busy_events_per_s=%,.0f streams_failed=%d load=%s%n", AGENTS, peak,
                    pushes.get(pushes.size() / 2), pushes.getLast(), events / busySeconds, failed, load());
        } finally {
            trickle.shutdownNow();
            for (ManagedChannel c : channels) {
                c.shutdownNow();
            }
            relay.destroy();
            relay.waitFor(30, TimeUnit.SECONDS);
            deleteTree(dir); // the store holds the 5 million events: hundreds of MiB
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Process startRelay(Path dir, int port) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : System.getenv().getOrDefault("WARD_FLEET_RELAY_JVM", "-Xmx512m").split("\\s+")) {
            if (!flag.isBlank()) {
                cmd.add(flag);
            }
        }
        cmd.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                RelayMain.class.getName(), "--listen", "127.0.0.1", "--port", Integer.toString(port),
                "--metrics-port", "0", "--store", dir.resolve("relay.db").toString(), "--retention", "0s"));
        Path log = dir.resolve("relay.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("WARD_RELAY_AGENT_TOKEN", AGENT_TOKEN);
        pb.environment().put("WARD_RELAY_ADMIN_TOKEN", ADMIN_TOKEN);
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains("listening on")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("the relay did not start:\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        System.out.println("fleet: " + String.join(" ", cmd.subList(0, cmd.indexOf("-cp"))) + " ... " + RelayMain.class
                .getSimpleName() + " " + String.join(" ", cmd.subList(cmd.indexOf(RelayMain.class.getName()) + 1,
                cmd.size())));
        return p;
    }

    static String policy(String path) {
        return """
                apiVersion: security.kubearmor.com/v1
                kind: KubeArmorPolicy
                metadata:
                  name: fleet-block
                spec:
                  selector:
                    matchLabels:
                      kubearmor.io/container.name: fleet
                  file:
                    matchPaths:
                    - path: %s
                  action: Block
                """.formatted(path);
    }

    interface Condition {
        boolean holds();
    }

    static void await(String what, int seconds, Condition c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String rss(Process p) throws IOException {
        return status(p, "VmRSS:");
    }

    private static String hwm(Process p) throws IOException {
        return status(p, "VmHWM:");
    }

    private static String status(Process p, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
            if (line.startsWith(field)) {
                long kb = Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
                return String.format(Locale.ROOT, "%.0f MiB", kb / 1024.0);
            }
        }
        return "?";
    }

    private static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
