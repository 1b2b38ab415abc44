package dev.ward.policy.yaml;

import dev.ward.policy.Action;
import dev.ward.policy.model.Effect;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * severity, tags, message and action as written at one level (rule, block or spec), unset ones as 0, empty or
 * null. {@link #resolve} applies KubeArmor's inheritance: the rule's own value, else its block's, else the spec's;
 * empty tags and messages count as unset, as in KubeArmor.
 */
record Meta(int severity, List<String> tags, String message, Action action) {
    static final Set<String> FIELDS = Set.of("severity", "tags", "message", "action");
    static final Meta NONE = new Meta(0, List.of(), "", null);

    static Meta read(Fields f, Problems p) {
        return read(f, p, true);
    }

    /** Reads the four fields; {@code withAction} false for levels whose schema has no action (syscalls). */
    static Meta read(Fields f, Problems p, boolean withAction) {
        int severity = 0;
        Node n = f.get("severity");
        if (n != null) {
            Integer v = Values.integer(n, f.what() + ".severity", 1, 10, p);
            severity = v == null ? 0 : v;
        }
        List<String> tags = List.of();
        n = f.get("tags");
        if (n != null) {
            List<String> v = Values.strings(n, f.what() + ".tags", p);
            tags = v == null ? List.of() : v;
        }
        String message = "";
        n = f.get("message");
        if (n != null) {
            String v = Values.string(n, f.what() + ".message", p);
            message = v == null ? "" : v;
        }
        Action action = null;
        n = withAction ? f.get("action") : null;
        if (n != null) {
            action = action(n, f.what() + ".action", p);
        }
        return new Meta(severity, tags, message, action);
    }

    static Action action(Node n, String what, Problems p) {
        String s = Values.string(n, what, p);
        if (s == null) {
            return null;
        }
        Action a = Action.fromDisplayName(s);
        if (a == null) {
            String hint = "";
            for (Action x : Action.values()) {
                if (x.displayName().equalsIgnoreCase(s.trim())) {
                    hint = "; did you mean " + x.displayName() + "?";
                }
            }
            p.at(n, ErrorCode.BAD_ENUM, what + " \"" + s + "\" is not an action (expected Allow, Audit or Block"
                    + hint + ")");
        }
        return a;
    }

    static Effect resolve(Meta rule, Meta block, Meta spec) {
        int severity = rule.severity != 0 ? rule.severity : block.severity != 0 ? block.severity : spec.severity;
        List<String> tags = !rule.tags.isEmpty() ? rule.tags : !block.tags.isEmpty() ? block.tags : spec.tags;
        String message = !rule.message.isEmpty() ? rule.message : !block.message.isEmpty() ? block.message
                : spec.message;
        Action action = rule.action != null ? rule.action : block.action != null ? block.action
                : spec.action != null ? spec.action : Action.BLOCK;
        return new Effect(action, severity, tags, message);
    }
}
