package dev.ward.policy.istio;

import dev.ward.policy.model.Position;
import java.util.List;
import java.util.Map;

/**
 * An Istio {@code security.istio.io/v1} (or {@code v1beta1}) AuthorizationPolicy as parsed, with the position of
 * every rule for messages. Immutable; compile a set of them with {@link AuthorizationEngine#compile}.
 *
 * @param selector   {@code spec.selector.matchLabels}, or null when absent (every workload of the namespace)
 * @param targetRefs {@code spec.targetRefs} (and the older {@code targetRef}), empty when absent
 * @param dryRun     the {@code istio.io/dry-run: "true"} annotation: evaluated and reported, never enforced
 * @param rules      {@code spec.rules}; empty means the policy never matches (an ALLOW one then denies everything)
 * @param egress     the Ward annotation {@code ward.dev/direction: egress}: the policy decides the selected
 *                   workload's own outbound connections to destinations outside the mesh, not its inbound tunnels
 */
public record AuthorizationPolicy(String name, String namespace, Position position, Map<String, String> selector,
        List<TargetRef> targetRefs, AuthzAction action, boolean dryRun, List<Rule> rules, boolean egress) {
    public static final String DRY_RUN_ANNOTATION = "istio.io/dry-run";
    /** Ward's annotation for the direction a policy decides: {@code inbound} (the default) or {@code egress}. */
    public static final String DIRECTION_ANNOTATION = "ward.dev/direction";

    public AuthorizationPolicy {
        selector = selector == null ? null : Map.copyOf(selector);
        targetRefs = List.copyOf(targetRefs);
        rules = List.copyOf(rules);
    }

    /** An inbound policy (Istio's own meaning). */
    public AuthorizationPolicy(String name, String namespace, Position position, Map<String, String> selector,
            List<TargetRef> targetRefs, AuthzAction action, boolean dryRun, List<Rule> rules) {
        this(name, namespace, position, selector, targetRefs, action, dryRun, rules, false);
    }

    /** Whether any rule needs HTTP. */
    public boolean hasL7() {
        return rules.stream().anyMatch(Rule::hasL7);
    }

    /** {@code namespace/name}, as alerts and messages show it. */
    public String id() {
        return namespace + "/" + name;
    }
}
