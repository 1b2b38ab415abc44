package dev.ward.relay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ward.api.telemetry.JsonLinesSink;
import dev.ward.relay.api.AgentInfo;
import dev.ward.relay.api.PolicyResult;
import dev.ward.relay.store.Store;
import dev.ward.relay.store.StoreException;
import dev.ward.relay.store.StoredEvent;
import dev.ward.relay.store.StoredPolicy;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the relay offers its web console ({@link RelayConsole}): who may log in, the store, the policies (changed
 * exactly as {@code ward policy add|delete} change them, through the same registry), the fleet and the live alerts.
 */
public final class ConsoleHost {
    /** A console login's role: read watches, admin also changes policies. */
    public enum Role { read, admin }

    /** A live stream of alerts ({@link #liveAlerts}): a slow reader loses alerts, counted; close it when done. */
    public interface LiveAlerts extends AutoCloseable {
        /** The next alert, waiting up to {@code timeoutMillis}; null if none came. */
        StoredEvent poll(long timeoutMillis) throws InterruptedException;

        /** Alerts lost so far because the reader was too slow. */
        long dropped();

        @Override
        void close();
    }

    /**
     * A policy, its action (a KubeArmorPolicy's spec-level one after defaulting, an AuthorizationPolicy's ALLOW,
     * DENY, ...) and the containers of the connected agents that hold it.
     */
    public record Policy(StoredPolicy stored, String action, List<String> reaches) {
    }

    /**
     * An agent of the fleet: connected to a relay sharing the store, or gone from this one.
     *
     * @param policies       the names of the policies it holds (known for this relay's agents only)
     * @param lastEvent      its last event, for the workload's namespace, pod and image (null: none, or an agent of
     *                       another relay)
     * @param lastSeenMillis now for a connected agent, when it went away for a gone one
     */
    public record Agent(AgentInfo info, List<String> policies, StoredEvent lastEvent, boolean connected,
            long lastSeenMillis) {
    }

    private final byte[] adminToken;
    private final byte[] readToken;
    private final Store store;
    private final PolicyRegistry registry;
    private final AgentSessions agents;
    private final Hub hub;
    private final Federation federation;
    private final RelayMetrics metrics;

    ConsoleHost(RelayServer.Settings settings, Store store, PolicyRegistry registry, AgentSessions agents, Hub hub,
            Federation federation, RelayMetrics metrics) {
        this.adminToken = digest(settings.adminToken());
        this.readToken = digest(settings.readToken());
        this.store = store;
        this.registry = registry;
        this.agents = agents;
        this.hub = hub;
        this.federation = federation;
        this.metrics = metrics;
    }

    /** Whether anyone can log in: a console without a read or admin token would show the fleet to anyone. */
    public boolean hasLogin() {
        return adminToken != null || readToken != null;
    }

    /** The role {@code token} logs in as, null if none (compared in constant time, whatever the lengths). */
    public Role role(String token) {
        byte[] given = digest(token);
        boolean admin = adminToken != null && given != null && MessageDigest.isEqual(adminToken, given);
        boolean read = readToken != null && given != null && MessageDigest.isEqual(readToken, given);
        return admin ? Role.admin : read ? Role.read : null;
    }

    public Store store() {
        return store;
    }

    /** The alerts stored or relayed from now on, at most {@code capacity} waiting for the reader. */
    public LiveAlerts liveAlerts(int capacity) {
        ConsoleFeed feed = new ConsoleFeed(capacity, hub, metrics);
        hub.add(feed);
        return feed;
    }

    /** The event as the agent's JSON, exactly as {@code ward logs --json} prints it (one line, no newline). */
    public static String json(StoredEvent event) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JsonFactory.builder().build().createGenerator(out)) {
            JsonLinesSink.writeObject(json, EventPrinter.telemetry(RelayEvent.of(event).watchEvent()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The stored policies by kind, namespace and name. */
    public List<Policy> policies() {
        Map<String, List<String>> reaches = new HashMap<>();
        for (AgentSession s : agents.all()) {
            for (String id : s.held) {
                reaches.computeIfAbsent(id, k -> new ArrayList<>()).add(s.hello.getContainerName());
            }
        }
        List<Policy> out = new ArrayList<>();
        for (PolicyRegistry.Entry e : registry.entries()) {
            List<String> who = new ArrayList<>(reaches.getOrDefault(e.stored().id(), List.of()));
            who.sort(null);
            String action = e.parsed() != null ? e.parsed().action().displayName()
                    : e.authorization() != null ? String.valueOf(e.authorization().action()) : "";
            out.add(new Policy(e.stored(), action, who));
        }
        out.sort(Comparator.comparing((Policy p) -> p.stored().kind()).thenComparing(p -> p.stored().namespace())
                .thenComparing(p -> p.stored().name()));
        return out;
    }

    /** One policy; empty when there is none. IllegalArgumentException for a kind that is neither. */
    public Optional<StoredPolicy> policy(String kind, String namespace, String name) {
        try {
            PolicyRegistry.Entry e = registry.get(kind, namespace, name);
            return e == null ? Optional.empty() : Optional.of(e.stored());
        } catch (PolicyRegistry.KindProblem problem) {
            throw new IllegalArgumentException(problem.getMessage(), problem);
        }
    }

    /** Validates and stores every document of {@code yaml}, all or nothing, and sends them: {@code ward policy add}. */
    public List<PolicyResult> apply(String yaml, String origin) throws StoreException {
        return registry.apply(yaml, origin);
    }

    /** Deletes one policy and tells the agents that held it: {@code ward policy delete}. */
    public PolicyResult delete(String kind, String namespace, String name) throws StoreException {
        return registry.delete(kind, namespace, name);
    }

    /** The connected agents of every relay sharing the store, then the ones that left this relay lately. */
    public List<Agent> fleet() {
        Map<String, AgentSession> local = new HashMap<>();
        for (AgentSession s : agents.all()) {
            local.put(s.hello.getAgentId(), s);
        }
        long now = System.currentTimeMillis();
        List<Agent> out = new ArrayList<>();
        for (AgentInfo info : federation.agents()) {
            AgentSession s = local.get(info.getAgentId());
            out.add(new Agent(info, names(s == null ? Set.of() : s.held), s == null ? null : stored(s.lastEvent,
                    info.getAgentId()), true, now));
        }
        for (AgentSessions.Gone g : agents.gone()) {
            out.add(new Agent(g.info().toBuilder().setRelay(federation.name()).build(), names(g.held()),
                    stored(g.lastEvent(), g.info().getAgentId()), false, g.goneMillis()));
        }
        return out;
    }

    private static StoredEvent stored(dev.ward.relay.api.Event e, String agentId) {
        return e == null ? null : new StoredEvent(StoredEvent.timeOf(e), e, agentId);
    }

    /** Policy ids ({@link StoredPolicy#id}) as their names, sorted. */
    private static List<String> names(Set<String> ids) {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            out.add(id.substring(id.indexOf(':') + 1));
        }
        out.sort(null);
        return out;
    }

    private static byte[] digest(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.strip().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
