package dev.ward.policy;

import java.util.List;

/**
 * An immutable decision result. Every instance is created when a {@link PolicySet} is compiled, so returning one
 * from a decision method never allocates; compare by identity or read the fields.
 *
 * <p>How the agent reads it: {@link #action()} {@code BLOCK} means deny the operation with EACCES and alert;
 * {@code AUDIT} means let it run and alert; {@code ALLOW} means an Allow rule matched: let it run, no alert.
 */
public final class Match {
    /** The policy name KubeArmor uses for results of the default posture. */
    public static final String DEFAULT_POSTURE = "DefaultPosture";

    private final Action action;
    private final String policyName;
    private final int severity;
    private final List<String> tags;
    private final String message;
    private final Operation operation;
    private final boolean defaultPosture;
    private final String rule;
    private final String location;

    Match(Action action, String policyName, int severity, List<String> tags, String message, Operation operation,
            boolean defaultPosture, String rule, String location) {
        this.action = action;
        this.policyName = policyName;
        this.severity = severity;
        this.tags = List.copyOf(tags);
        this.message = message == null ? "" : message;
        this.operation = operation;
        this.defaultPosture = defaultPosture;
        this.rule = rule;
        this.location = location;
    }

    /**
     * A decision of the agent's own, not of a loaded policy (self-protection): reported like a rule's, under
     * {@code policyName}.
     */
    public static Match builtIn(Action action, String policyName, int severity, String message, Operation operation) {
        return new Match(action, policyName, severity, List.of(), message, operation, false, policyName, "");
    }

    static Match posture(Action action, Operation operation) {
        return new Match(action, DEFAULT_POSTURE, 0, List.of(), "", operation, true, "default posture", "");
    }

    public Action action() {
        return action;
    }

    public String policyName() {
        return policyName;
    }

    /** 1..10, or 0 when neither the rule, its block nor the spec set one. */
    public int severity() {
        return severity;
    }

    public List<String> tags() {
        return tags;
    }

    /** The alert message, "" when none was set. */
    public String message() {
        return message;
    }

    public Operation operation() {
        return operation;
    }

    /** True for results of the default posture (PolicyName "DefaultPosture"). */
    public boolean defaultPosture() {
        return defaultPosture;
    }

    /** Which rule produced this result, e.g. {@code file.matchDirectories[2]}; "default posture" for the posture. */
    public String rule() {
        return rule;
    }

    /** Where that rule was written, {@code file:line:column}; "" for the posture. */
    public String location() {
        return location;
    }

    @Override
    public String toString() {
        return action.displayName() + " by " + policyName + " (" + rule + (location.isEmpty() ? "" : " at " + location)
                + ")";
    }
}
