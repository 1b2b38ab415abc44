package dev.ward.relay;

import dev.ward.relay.store.MeshStore;
import dev.ward.relay.store.Store;
import dev.ward.relay.store.StoreException;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The relay: KubeArmor's feeder and policy services, Ward's agent and admin services, behind {@link Auth}.
 * Takes a {@link ServerBuilder} so that tests run it in-process and {@code ward relay} on netty with TLS.
 *
 * <pre>{@code
 * try (Store store = Store.open("relay.db", null, null);
 *      RelayServer relay = RelayServer.start(NettyServerBuilder.forPort(32767), settings, store, System.err)) {
 *     relay.awaitTermination();
 * }
 * }</pre>
 */
public final class RelayServer implements AutoCloseable {
    /**
     * @param agentToken   required: what agents present (WARD_RELAY_TOKEN on their side)
     * @param adminToken   null: policy changes are refused
     * @param readToken    null: watching and listing are open (as KubeArmor's relay)
     * @param watcherQueue events held per watcher before it starts losing them
     * @param retention    how long events are kept (zero: forever)
     * @param storePoll    how often the store's policy version is checked for other relays' changes
     * @param mesh         the mesh's trust domain and CA
     * @param forwarding   where alerts are forwarded (falcosidekick, a webhook)
     */
    public record Settings(String agentToken, String adminToken, String readToken, int watcherQueue,
            Duration retention, Duration storePoll, MeshSettings mesh, AlertForwarding forwarding) {
        public Settings {
            if (agentToken == null || agentToken.isBlank()) {
                throw new IllegalArgumentException("the relay needs an agent token: set WARD_RELAY_AGENT_TOKEN or "
                        + "--agent-token-file (agents present it as WARD_RELAY_TOKEN)");
            }
            if (watcherQueue <= 0) {
                throw new IllegalArgumentException("--watcher-queue must be positive");
            }
            if (mesh == null) {
                mesh = MeshSettings.defaults();
            }
            if (forwarding == null) {
                forwarding = AlertForwarding.none();
            }
        }

        /** No forwarding. */
        public Settings(String agentToken, String adminToken, String readToken, int watcherQueue, Duration retention,
                Duration storePoll, MeshSettings mesh) {
            this(agentToken, adminToken, readToken, watcherQueue, retention, storePoll, mesh, null);
        }

        /** The default mesh settings. */
        public Settings(String agentToken, String adminToken, String readToken, int watcherQueue, Duration retention,
                Duration storePoll) {
            this(agentToken, adminToken, readToken, watcherQueue, retention, storePoll, null, null);
        }

        /** Defaults for everything but the tokens. */
        public static Settings of(String agentToken, String adminToken, String readToken) {
            return new Settings(agentToken, adminToken, readToken, 8192, Duration.ofDays(7), Duration.ofSeconds(2));
        }
    }

    private final Server server;
    private final RelayMetrics metrics;
    private final EventWriter writer;
    private final ScheduledExecutorService poller;
    private final AgentSessions agents;
    private final Hub hub;
    private final PolicyRegistry registry;
    private final Federation federation;
    private final PrintStream log;
    private final MeshStore meshStore;
    private final MeshDirectory directory;
    private final AlertForwarder forwarder;
    private final ConsoleHost console;
    private volatile Server karmorAdmin;

    private RelayServer(Server server, RelayMetrics metrics, EventWriter writer, ScheduledExecutorService poller,
            AgentSessions agents, Hub hub, PolicyRegistry registry, Federation federation, PrintStream log,
            MeshStore meshStore, MeshDirectory directory, AlertForwarder forwarder, ConsoleHost console) {
        this.server = server;
        this.console = console;
        this.forwarder = forwarder;
        this.meshStore = meshStore;
        this.directory = directory;
        this.federation = federation;
        this.registry = registry;
        this.log = log;
        this.metrics = metrics;
        this.writer = writer;
        this.poller = poller;
        this.agents = agents;
        this.hub = hub;
    }

    public static RelayServer start(ServerBuilder<?> builder, Settings settings, Store store, PrintStream log)
            throws IOException, StoreException {
        RelayMetrics metrics = new RelayMetrics();
        MeshStore meshStore = store.mesh();
        MeshCa ca;
        try {
            ca = MeshCa.open(settings.mesh().trustDomain(), settings.mesh().ca(), meshStore);
        } catch (StoreException | RuntimeException e) {
            meshStore.close();
            throw e;
        }
        log.println("ward relay: mesh trust domain " + settings.mesh().trustDomain() + ", CA "
                + ca.root().getSubjectX500Principal().getName() + (settings.mesh().ca() == null
                        ? " (kept in the store)" : " (the root of --ca-cert's chain)"));
        MeshMetrics meshMetrics = new MeshMetrics(metrics.registry);
        MeshDirectory directory = new MeshDirectory(ca, meshStore, store.shared(), meshMetrics, log);
        MeshIssuer issuer = new MeshIssuer(ca, settings.mesh(), meshStore, meshMetrics, log);
        AgentSessions agents = new AgentSessions(metrics);
        Hub hub = new Hub(metrics);
        Messages messages = new Messages(hostName());
        PolicyRegistry registry = new PolicyRegistry(store, agents, metrics, log);
        registry.refresh();
        EventWriter writer = new EventWriter(store, agents, settings.retention(), log);
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("ward-relay-policy-poll").factory());
        boolean[] failing = {false};
        Runnable refresh = () -> {
            try {
                registry.refresh();
                failing[0] = false;
            } catch (StoreException e) {
                if (!failing[0]) {
                    log.println("ward relay: cannot read policies from the store (serving the last ones): "
                            + e.getMessage());
                }
                failing[0] = true;
            }
        };
        Federation federation = new Federation(store, hub, agents, () -> {
            try {
                poller.execute(refresh);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing: no more reloads
            }
        }, log);
        Auth auth = new Auth(settings.agentToken(), settings.adminToken(), settings.readToken(), log);
        AlertForwarder forwarder = new AlertForwarder(settings.forwarding(), new ForwardMetrics(metrics.registry), log);
        builder.addService(ServerInterceptors.intercept(new AgentRelayService(agents, registry, hub, writer, metrics,
                messages, log, issuer, directory, forwarder), auth));
        builder.addService(ServerInterceptors.intercept(new FeederService(hub, messages, metrics,
                settings.watcherQueue(), federation), auth));
        builder.addService(ServerInterceptors.intercept(new KubeArmorPolicyService(registry, log), auth));
        builder.addService(ServerInterceptors.intercept(new RelayAdminService(registry, agents, federation, hub, store,
                metrics, settings.watcherQueue(), new MeshAdminService(ca, meshStore, directory)).definition(), auth));
        Server server;
        try {
            server = builder.build().start();
        } catch (IOException e) {
            forwarder.close();
            writer.close();
            poller.shutdownNow();
            directory.close();
            meshStore.close();
            throw e;
        }
        try {
            federation.start(hostName(), server.getPort());
        } catch (StoreException e) {
            server.shutdownNow();
            forwarder.close();
            writer.close();
            poller.shutdownNow();
            directory.close();
            meshStore.close();
            throw e;
        }
        directory.start(federation.relayId());
        // Relays sharing a store are told of policy changes at once (Federation); the poll is the fallback.
        long every = Math.max(100, settings.storePoll().toMillis());
        poller.scheduleWithFixedDelay(refresh, every, every, TimeUnit.MILLISECONDS);
        return new RelayServer(server, metrics, writer, poller, agents, hub, registry, federation, log, meshStore,
                directory, forwarder, new ConsoleHost(settings, store, registry, agents, hub, federation,
                metrics));
    }

    /**
     * Starts the karmor admin listener ({@link KarmorAdminListener}) on {@code builder}, which the caller bound to
     * a loopback address; returns its port. Closed with the relay.
     */
    public int startKarmorAdmin(ServerBuilder<?> builder) throws IOException {
        builder.addService(ServerInterceptors.intercept(new KubeArmorPolicyService(registry, log),
                new KarmorAdminListener(log)));
        Server s = builder.build().start();
        karmorAdmin = s;
        return s.getPort();
    }

    /** What the web console ({@link RelayConsole}) reads and changes. */
    public ConsoleHost console() {
        return console;
    }

    /** The port the server listens on (after binding; -1 in-process). */
    public int port() {
        return server.getPort();
    }

    /** What the server registered: every method of these must be in an {@link Auth} group. */
    java.util.List<io.grpc.ServerServiceDefinition> services() {
        return server.getServices();
    }

    public PrometheusRegistry metricsRegistry() {
        return metrics.registry;
    }

    int agentCount() {
        return agents.all().size();
    }

    int watcherCount() {
        return hub.size();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops accepting calls, ends the open streams, stores what was queued. */
    @Override
    public void close() {
        directory.close(); // first: other relays stop listing this one's agents, which are about to leave
        federation.close();
        poller.shutdownNow();
        Server admin = karmorAdmin;
        if (admin != null) {
            admin.shutdownNow();
        }
        server.shutdown();
        try {
            if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        writer.close();
        forwarder.close();
        meshStore.close();
    }

    /** The name other relays and {@code ward agents} know this relay by. */
    String name() {
        return federation.name();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "ward-relay";
        }
    }
}
