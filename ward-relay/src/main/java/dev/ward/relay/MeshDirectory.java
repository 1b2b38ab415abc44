package dev.ward.relay;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ward.relay.api.MeshStatus;
import dev.ward.relay.api.MeshUpdate;
import dev.ward.relay.api.MeshWorkload;
import dev.ward.relay.api.RelayMessage;
import dev.ward.relay.store.Fleet;
import dev.ward.relay.store.MeshStore;
import dev.ward.relay.store.StoreException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Mesh discovery: which workload (SPIFFE ID) is at which addresses. An agent's MeshStatus is accepted only for the
 * identity this relay's store says it issued to that agent id, unexpired; the agent then gets the whole mesh
 * (MeshUpdate) at once and again on every change: a workload joins, moves, or its agent disconnects. On a shared
 * PostgreSQL store each relay also publishes its agents' workloads and reads the other live relays' every second.
 *
 * <p>Threading: one thread ("ward-relay-mesh") checks statuses, writes the store and sends the updates, in the
 * order the agents' messages arrived.
 */
final class MeshDirectory implements AutoCloseable {
    static final int DEFAULT_HBONE_PORT = 15008;
    private static final long POLL_MILLIS = 1000;

    private record Local(AgentSession session, MeshWorkload workload) {
    }

    private final MeshCa ca;
    private final MeshStore store;
    private final boolean shared;
    private final MeshMetrics metrics;
    private final PrintStream log;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ward-relay-mesh").factory());
    private final Map<String, Local> local = new ConcurrentHashMap<>();
    private final Set<AgentSession> subscribers = ConcurrentHashMap.newKeySet();
    private volatile List<MeshWorkload> remote = List.of();
    private long version; // mesh thread only
    private String relayId; // set by start, before any status
    private boolean failing; // mesh thread only

    MeshDirectory(MeshCa ca, MeshStore store, boolean shared, MeshMetrics metrics, PrintStream log) {
        this.ca = ca;
        this.store = store;
        this.shared = shared;
        this.metrics = metrics;
        this.log = log;
    }

    /** The mesh's metrics, which the agents' connection events also count. */
    MeshMetrics metrics() {
        return metrics;
    }

    /** Begins reading the other relays' workloads (shared store only); {@code relayId} names this relay's rows. */
    void start(String relayId) {
        this.relayId = relayId;
        if (shared) {
            thread.scheduleWithFixedDelay(this::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** An agent's MeshStatus (from its stream's thread). */
    void status(AgentSession session, MeshStatus status) {
        run(() -> accept(session, status));
    }

    /** The agent's stream ended: it stops receiving updates and its workload leaves the mesh. */
    void disconnected(AgentSession session) {
        run(() -> {
            subscribers.remove(session);
            String agentId = session.hello.getAgentId();
            Local l = local.get(agentId);
            if (l != null && l.session() == session) {
                local.remove(agentId);
                publish(agentId, null);
                broadcast();
            }
        });
    }

    /** Every workload: this relay's agents' and, on a shared store, the other relays'. */
    List<MeshWorkload> workloads() {
        List<MeshWorkload> all = new ArrayList<>();
        Set<String> agents = new HashSet<>();
        for (Local l : local.values()) {
            all.add(l.workload());
            agents.add(l.workload().getAgentId());
        }
        for (MeshWorkload w : remote) {
            if (agents.add(w.getAgentId())) {
                all.add(w);
            }
        }
        all.sort(Comparator.comparing(MeshWorkload::getSpiffeId).thenComparing(MeshWorkload::getAgentId));
        return all;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (shared && relayId != null) {
            try {
                store.leave(relayId);
            } catch (StoreException e) {
                // the other relays stop listing them once this relay's heartbeat is old
            }
        }
    }

    private void accept(AgentSession session, MeshStatus status) {
        String agentId = session.hello.getAgentId();
        String problem;
        try {
            problem = problem(agentId, status);
        } catch (StoreException e) {
            metrics.ignored("store");
            log.println("ward relay: cannot check agent " + agentId + "'s mesh status: " + e.getMessage());
            return;
        }
        if (problem != null) {
            metrics.ignored(problem.substring(0, problem.indexOf(':')));
            log.println("ward relay: ignored the mesh status of agent " + session.hello.getContainerName() + " ("
                    + agentId + "): " + problem.substring(problem.indexOf(':') + 2));
            return;
        }
        MeshWorkload w = MeshWorkload.newBuilder().setSpiffeId(status.getSpiffeId())
                .addAllAddresses(status.getAddressesList()).setHbonePort(status.getHbonePort() == 0
                        ? DEFAULT_HBONE_PORT : status.getHbonePort()).setAgentId(agentId)
                .setName(session.hello.getContainerName()).build();
        subscribers.add(session);
        Local before = local.put(agentId, new Local(session, w));
        if (before != null && before.workload().equals(w)) {
            session.send(update(++version));
            return;
        }
        publish(agentId, w);
        broadcast();
    }

    /** "reason: text" when the status must be ignored, else null. */
    private String problem(String agentId, MeshStatus status) throws StoreException {
        var cert = store.cert(agentId);
        if (cert.isEmpty()) {
            return "no_certificate: this relay issued it no mesh certificate";
        }
        if (!cert.get().spiffeId().equals(status.getSpiffeId())) {
            return "wrong_identity: it claims " + status.getSpiffeId() + " but holds " + cert.get().spiffeId();
        }
        if (cert.get().notAfterMillis() <= System.currentTimeMillis()) {
            return "expired: its certificate for " + status.getSpiffeId() + " expired";
        }
        if (status.getAddressesCount() == 0 || status.getHbonePort() > 65535) {
            return "bad_address: it gives no address, or a port beyond 65535";
        }
        for (String a : status.getAddressesList()) {
            try {
                InetAddress.ofLiteral(a);
            } catch (IllegalArgumentException e) {
                return "bad_address: '" + a + "' is not an IPv4 or IPv6 address";
            }
        }
        return null;
    }

    private void publish(String agentId, MeshWorkload w) {
        if (!shared) {
            return;
        }
        try {
            store.publishWorkload(relayId, agentId, w == null ? null : w.toByteArray(), System.currentTimeMillis());
        } catch (StoreException e) {
            log.println("ward relay: cannot share agent " + agentId + "'s mesh workload with the other relays: "
                    + e.getMessage());
        }
    }

    private void poll() {
        try {
            List<MeshWorkload> others = new ArrayList<>();
            for (MeshStore.Workload row : store.workloads(System.currentTimeMillis() - Fleet.ALIVE_MILLIS)) {
                if (!row.relayId().equals(relayId)) {
                    others.add(MeshWorkload.parseFrom(row.workload()));
                }
            }
            failing = false;
            if (!Objects.equals(others, remote)) {
                remote = List.copyOf(others);
                broadcast();
            }
        } catch (StoreException | InvalidProtocolBufferException e) {
            if (!failing) {
                log.println("ward relay: cannot read the other relays' mesh workloads: " + e.getMessage());
            }
            failing = true;
        }
    }

    private void broadcast() {
        metrics.workloads(workloads().size());
        if (subscribers.isEmpty()) {
            return;
        }
        RelayMessage m = update(++version);
        for (AgentSession s : subscribers) {
            s.send(m);
        }
    }

    private RelayMessage update(long v) {
        return RelayMessage.newBuilder().setMesh(MeshUpdate.newBuilder().setTrustDomain(ca.trustDomain())
                .addAllTrustRoots(ca.trustRoots()).addAllWorkloads(workloads()).setVersion(v)).build();
    }

    private void run(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.println("ward relay: mesh discovery failed: " + e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }
}
