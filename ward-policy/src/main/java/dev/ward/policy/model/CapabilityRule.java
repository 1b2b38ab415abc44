package dev.ward.policy.model;

import dev.ward.policy.Capability;
import java.util.List;

/** One {@code capabilities.matchCapabilities} entry (comma-separated lists become one rule per capability). */
public record CapabilityRule(Capability capability, List<Source> fromSource, Effect effect, String where,
        Position position) {
    public CapabilityRule {
        fromSource = List.copyOf(fromSource);
    }
}
