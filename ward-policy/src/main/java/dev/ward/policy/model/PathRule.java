package dev.ward.policy.model;

import java.util.List;

/**
 * One process or file rule.
 *
 * @param target    the normalised path, directory (ending in "/"), glob, or exec name
 * @param recursive directories only
 * @param ownerOnly only the owner of the target may access (file) or execute (process) it
 * @param readOnly  file rules only: reading is fine, modifying is what the rule is about
 * @param where     the rule's place in the policy, e.g. {@code file.matchDirectories[1]}
 */
public record PathRule(TargetKind kind, String target, boolean recursive, boolean ownerOnly, boolean readOnly,
        List<Source> fromSource, Effect effect, String where, Position position) {
    public PathRule {
        fromSource = List.copyOf(fromSource);
    }

    /** True when ownerOnly or readOnly narrow what the rule is about. */
    public boolean conditional() {
        return ownerOnly || readOnly;
    }
}
