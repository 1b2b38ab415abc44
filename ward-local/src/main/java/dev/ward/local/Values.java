package dev.ward.local;

import dev.ward.taskdef.Container;
import dev.ward.taskdef.EnvVar;
import dev.ward.taskdef.Field;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values of a task definition {@link TaskDefinitionReader} has checked, as ward local runs them: text, numbers
 * and flags with ECS's defaults. Only for checked definitions (an intrinsic or a wrong type reads as absent).
 */
final class Values {
    private Values() {}

    /** The text, or null. */
    static String text(Optional<Field> f) {
        return f.flatMap(Field::literal).orElse(null);
    }

    static Integer number(Optional<Field> f) {
        return f.flatMap(Field::integer).orElse(null);
    }

    static boolean flag(Optional<Field> f, boolean dflt) {
        return f.flatMap(Field::bool).orElse(dflt);
    }

    static List<String> strings(List<Field> fields) {
        return fields.stream().map(f -> String.valueOf(f.text())).toList();
    }

    static String image(Container c) {
        return c.image().flatMap(Field::literal).orElse("");
    }

    /** {@code environment} as name to value (a later entry wins; a missing value is empty). */
    static Map<String, String> environment(Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : c.environment()) {
            env.put(e.name().text(), e.value().flatMap(Field::literal).orElse(""));
        }
        return env;
    }
}
