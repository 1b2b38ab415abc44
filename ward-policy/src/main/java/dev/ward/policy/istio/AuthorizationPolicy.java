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
 */
public record AuthorizationPolicy(String name, String namespace, Position position, Map<String, String> selector,
        List<TargetRef> targetRefs, AuthzAction action, boolean dryRun, List<Rule> rules) {
    public static final String DRY_RUN_ANNOTATION = "istio.io/dry-run";

    public AuthorizationPolicy {
        selector = selector == null ? null : Map.copyOf(selector);
        targetRefs = List.copyOf(targetRefs);
        rules = List.copyOf(rules);
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
