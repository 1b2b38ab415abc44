package dev.ward.policy.yaml;

import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * YAML that is well-formed but beyond an {@link InputLimits} limit, or recursive. A subclass of snakeyaml's marked
 * exception so that every reader's existing handler prints it with its position; {@link #getProblem()} says what is
 * wrong and what was expected, {@link #getProblemMark()} where.
 */
public final class YamlLimitException extends MarkedYamlEngineException {
    private static final long serialVersionUID = 1L;

    YamlLimitException(String problem, Optional<Mark> at) {
        super(null, Optional.empty(), problem, at);
    }
}
