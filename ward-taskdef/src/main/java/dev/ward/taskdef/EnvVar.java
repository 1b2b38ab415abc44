package dev.ward.taskdef;

import java.util.Optional;

/**
 * One entry of a container's {@code environment} (value) or {@code secrets} (valueFrom).
 *
 * @param name  the variable's name field
 * @param value its {@code value} (environment) or {@code valueFrom} (secrets), when present
 */
public record EnvVar(Field name, Optional<Field> value) {
    /** The name when it is a known literal, else empty. */
    public Optional<String> literalName() {
        return name.literal();
    }
}
