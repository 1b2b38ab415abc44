package dev.ward.policy.istio;

import dev.ward.policy.model.Position;
import java.util.List;

/**
 * {@code rules[].when[]}: the attribute must match one of {@code values} (when given) and none of
 * {@code notValues}. Values are validated by the parser for their key: CIDRs for the IP keys, port numbers for
 * {@code destination.port}, Istio string matches otherwise.
 *
 * @param header the header name (lower case) for {@link ConditionKey#REQUEST_HEADERS}, else null
 */
public record Condition(Position position, ConditionKey key, String header, List<String> values,
        List<String> notValues) {
    public Condition {
        values = List.copyOf(values);
        notValues = List.copyOf(notValues);
    }
}
