package dev.ward.policy.model;

import dev.ward.policy.ContainerIdentity;
import java.util.List;
import java.util.Map;

/**
 * {@code spec.selector}. matchLabels and matchExpressions are ANDed, as KubeArmor's specification says.
 * A matchLabels value "*" matches any value of a label the container has (KubeArmor documents it for
 * {@code kubearmor.io/container.name}: every container).
 */
public record Selector(Map<String, String> matchLabels, List<LabelExpression> matchExpressions) {
    public Selector {
        matchLabels = Map.copyOf(matchLabels);
        matchExpressions = List.copyOf(matchExpressions);
    }

    public boolean matches(ContainerIdentity id) {
        for (var e : matchLabels.entrySet()) {
            String have = id.labels().get(e.getKey());
            if (have == null || !("*".equals(e.getValue()) || e.getValue().equals(have))) {
                return false;
            }
        }
        for (LabelExpression x : matchExpressions) {
            if (!x.matches(id)) {
                return false;
            }
        }
        return true;
    }
}
