package dev.ward.policy.model;

import dev.ward.policy.ContainerIdentity;
import java.util.List;

/**
 * One {@code selector.matchExpressions} entry. KubeArmor only matches labels here (key "label"); each value is
 * "key=value". In: the container has at least one of them. NotIn: it has none of them.
 */
public record LabelExpression(boolean in, List<Label> values) {
    public LabelExpression {
        values = List.copyOf(values);
    }

    /** One "key=value" label. */
    public record Label(String key, String value) {
        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    public boolean matches(ContainerIdentity id) {
        boolean any = false;
        for (Label l : values) {
            if (l.value().equals(id.labels().get(l.key()))) {
                any = true;
                break;
            }
        }
        return in == any;
    }
}
