package dev.ward.local;

import dev.ward.taskdef.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The values ward local runs, checked field by field: a problem is recorded instead of thrown, so that
 * {@link TaskDefinitionReader} reports every problem of an input at once. A CloudFormation intrinsic (an object
 * such as {@code {"Ref": ...}}) is never a value here: ward local runs task definitions, not templates. Numbers and
 * booleans read as text where a string is expected, as ECS accepts them.
 */
final class FieldCheck {
    private final Problems problems;

    FieldCheck(Problems problems) {
        this.problems = problems;
    }

    /** The text, null when absent or null. */
    String text(Optional<Field> f, String at, String field) {
        if (f.isEmpty() || f.get().isNull()) {
            return null;
        }
        if (f.get().dynamic()) {
            problems.add(join(at, field), "expected a string");
            return null;
        }
        return f.get().text();
    }

    /** A whole number; 0 with a problem when absent or not one. */
    int intValue(Optional<Field> f, String at, String field) {
        Optional<Integer> n = f.flatMap(Field::integer);
        if (n.isEmpty()) {
            problems.add(join(at, field), f.isEmpty() ? "missing (expected a number)" : "expected a number, got " + shown(f.get()));
            return 0;
        }
        return n.get();
    }

    /** {@link #intValue} within ECS's range for the field. */
    int rangedInt(Optional<Field> f, String at, String field, int min, int max) {
        int v = intValue(f, at, field);
        if (v < min || v > max) {
            problems.add(join(at, field), v + " is out of range (ECS allows " + min + ".."
                    + (max == Integer.MAX_VALUE ? "" : max) + ")");
        }
        return v;
    }

    /** A present field as {@link #rangedInt}, else null. */
    Integer optionalInt(Optional<Field> f, String at, String field, int min, int max) {
        return f.isPresent() ? rangedInt(f, at, field, min, max) : null;
    }

    /** true or false, {@code dflt} when absent or null. */
    boolean bool(Optional<Field> f, String at, String field, boolean dflt) {
        if (f.isEmpty() || f.get().isNull()) {
            return dflt;
        }
        Optional<Boolean> b = f.get().bool();
        if (b.isEmpty()) {
            problems.add(join(at, field), "expected true or false, got " + shown(f.get()));
            return dflt;
        }
        return b.get();
    }

    /** The items as text; none, with a problem, when one is an intrinsic. */
    List<String> strings(List<Field> items, String at, String field) {
        List<String> out = new ArrayList<>();
        for (Field f : items) {
            if (f.dynamic()) {
                problems.add(join(at, field), "expected an array of strings");
                return List.of();
            }
            out.add(String.valueOf(f.text()));
        }
        return List.copyOf(out);
    }

    /** A value as a problem shows it: scalars as JSON writes them, an intrinsic as the object it is. */
    private static String shown(Field f) {
        if (f.dynamic()) {
            return "an object";
        }
        return f.value() instanceof String t ? "\"" + t + "\"" : String.valueOf(f.value());
    }

    static String join(String at, String field) {
        return at.isEmpty() ? field : at + "." + field;
    }
}
