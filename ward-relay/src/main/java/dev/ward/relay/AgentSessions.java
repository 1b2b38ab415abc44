package dev.ward.relay;

import dev.ward.relay.api.AgentInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agents connected to this relay, and per agent id the highest batch stored, so that a batch an agent
 * resends after a network blip (acknowledged but the ack lost) is acknowledged again without storing it twice.
 */
final class AgentSessions {
    static final long GONE_KEPT_MILLIS = 3_600_000;
    private static final int GONE_KEPT_MAX = 10_000;

    private final Map<Long, AgentSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> stored = new ConcurrentHashMap<>();
    private final AtomicLong connections = new AtomicLong();
    /** Agents that went away, by connection, for the web console's fleet (kept {@link #GONE_KEPT_MILLIS}). */
    private final Map<Long, Gone> gone = new ConcurrentHashMap<>();
    private final RelayMetrics metrics;

    /** An agent that disconnected: what {@code ward agents} showed last, the policies it held, its last event, when it left. */
    record Gone(AgentInfo info, java.util.Set<String> held, dev.ward.relay.api.Event lastEvent, long goneMillis) {
    }

    AgentSessions(RelayMetrics metrics) {
        this.metrics = metrics;
    }

    long nextConnection() {
        return connections.incrementAndGet();
    }

    void add(AgentSession s) {
        sessions.put(s.connection, s);
        metrics.agents(sessions.size());
    }

    void remove(AgentSession s) {
        if (s != null && sessions.remove(s.connection) != null) {
            metrics.agents(sessions.size());
            long now = System.currentTimeMillis();
            gone.values().removeIf(g -> now - g.goneMillis() > GONE_KEPT_MILLIS);
            if (gone.size() < GONE_KEPT_MAX) {
                gone.put(s.connection, new Gone(s.info(), s.held, s.lastEvent, now));
            }
        }
    }

    /** The agents that went away in the last {@link #GONE_KEPT_MILLIS}, oldest first. */
    List<Gone> gone() {
        long now = System.currentTimeMillis();
        return gone.values().stream().filter(g -> now - g.goneMillis() <= GONE_KEPT_MILLIS)
                .sorted(java.util.Comparator.comparingLong(Gone::goneMillis)).toList();
    }

    List<AgentSession> all() {
        return new ArrayList<>(sessions.values());
    }

    /** Connected agents whose last policy set held the policy {@code key}. */
    int holding(String key) {
        int n = 0;
        for (AgentSession s : sessions.values()) {
            if (s.held.contains(key)) {
                n++;
            }
        }
        return n;
    }

    boolean alreadyStored(String agentId, long sequence) {
        AtomicLong last = stored.get(agentId);
        return last != null && sequence <= last.get();
    }

    void markStored(String agentId, long sequence) {
        stored.computeIfAbsent(agentId, k -> new AtomicLong()).accumulateAndGet(sequence, Math::max);
    }
}
