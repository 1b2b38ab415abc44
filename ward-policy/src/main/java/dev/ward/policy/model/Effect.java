package dev.ward.policy.model;

import dev.ward.policy.Action;
import java.util.List;
import java.util.Objects;

/**
 * What a rule does and reports, after KubeArmor's inheritance: each of severity, tags, message and action comes
 * from the rule when set there, else from its block (process, file, ...), else from the spec; the spec's action
 * defaults to Block.
 *
 * @param severity 1..10, 0 when set nowhere
 * @param message  "" when set nowhere
 */
public record Effect(Action action, int severity, List<String> tags, String message) {
    public Effect {
        Objects.requireNonNull(action, "action");
        tags = List.copyOf(tags);
        message = message == null ? "" : message;
    }
}
