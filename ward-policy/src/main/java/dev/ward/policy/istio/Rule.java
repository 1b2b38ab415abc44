package dev.ward.policy.istio;

import dev.ward.policy.model.Position;
import java.util.List;

/**
 * One entry of {@code spec.rules}: it matches when one source of {@code from}, one operation of {@code to} and every
 * condition of {@code when} match; an empty list is no constraint, so {@code {}} matches every request.
 */
public record Rule(Position position, List<Source> from, List<Operation> to, List<Condition> when) {
    public Rule {
        from = List.copyOf(from);
        to = List.copyOf(to);
        when = List.copyOf(when);
    }

    /** Whether a field of the rule needs HTTP (methods, paths, hosts, their not forms, request headers). */
    public boolean hasL7() {
        return to.stream().anyMatch(Operation::hasL7) || when.stream().anyMatch(c -> c.key().l7());
    }
}
