package dev.ward.policy.model;

import java.util.List;

/** One {@code network.matchProtocols} entry (a comma-separated list in YAML becomes one rule per protocol). */
public record ProtocolRule(Protocol protocol, List<Source> fromSource, Effect effect, String where,
        Position position) {
    public ProtocolRule {
        fromSource = List.copyOf(fromSource);
    }
}
