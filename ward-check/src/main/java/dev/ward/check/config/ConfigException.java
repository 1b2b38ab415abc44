package dev.ward.check.config;

import dev.ward.taskdef.source.BadInputException;
import java.util.List;

/** Every problem found in a configuration file, reported together. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<BadInputException> problems;

    public ConfigException(List<BadInputException> problems) {
        super(problems.getFirst().getMessage());
        this.problems = List.copyOf(problems);
    }

    public List<BadInputException> problems() {
        return problems;
    }
}
