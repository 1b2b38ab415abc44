package dev.ward.relay;

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
    private final Map<Long, AgentSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> stored = new ConcurrentHashMap<>();
    private final AtomicLong connections = new AtomicLong();
    private final RelayMetrics metrics;

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
        }
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
