package dev.ward.local;

import dev.ward.taskdef.source.ArrNode;
import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.ObjNode;
import dev.ward.taskdef.source.ValNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to a task definition's fields that records a problem instead of throwing, so that
 * {@link TaskDefinitionReader} reports every problem of an input at once. Fields are looked up by their exact ECS
 * names. Numbers and booleans read as text where a string is expected (ValNode.text()), as ECS accepts them.
 */
final class FieldReader {
    private final Problems problems;

    FieldReader(Problems problems) {
        this.problems = problems;
    }

    /** The member named exactly {@code field}, or null. */
    static Node member(ObjNode node, String field) {
        return node.members().get(field);
    }

    /** Written and not null. */
    static boolean present(Node v) {
        return v != null && !(v instanceof ValNode val && val.value() == null);
    }

    static boolean has(ObjNode node, String field) {
        return node.members().containsKey(field);
    }

    String text(ObjNode node, String field, String at) {
        Node v = member(node, field);
        if (!present(v)) {
            return null;
        }
        if (!(v instanceof ValNode val)) {
            problems.add(join(at, field), "expected a string");
            return null;
        }
        return val.text();
    }

    static String scalar(ObjNode node, String field) {
        return member(node, field) instanceof ValNode v ? v.text() : null;
    }

    int intValue(ObjNode node, String field, String at) {
        Node v = member(node, field);
        // any number within int's range, fractions truncated (as Jackson's canConvertToInt/asInt did)
        if (v instanceof ValNode val && val.value() instanceof Number n && n.doubleValue() >= Integer.MIN_VALUE
                && n.doubleValue() <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        if (v instanceof ValNode val && val.value() instanceof String t && t.matches("\\d{1,9}")) {
            return Integer.parseInt(t);
        }
        problems.add(join(at, field), v == null ? "missing (expected a number)" : "expected a number, got " + shown(v));
        return 0;
    }

    int rangedInt(ObjNode node, String field, String at, int min, int max) {
        int v = intValue(node, field, at);
        if (v < min || v > max) {
            problems.add(join(at, field), v + " is out of range (ECS allows " + min + ".."
                    + (max == Integer.MAX_VALUE ? "" : max) + ")");
        }
        return v;
    }

    boolean bool(ObjNode node, String field, String at, boolean dflt) {
        Node v = member(node, field);
        if (!present(v)) {
            return dflt;
        }
        if (!(v instanceof ValNode val && val.value() instanceof Boolean b)) {
            problems.add(join(at, field), "expected true or false, got " + shown(v));
            return dflt;
        }
        return b;
    }

    List<String> strings(ObjNode node, String field, String at) {
        Node v = member(node, field);
        if (!present(v)) {
            return List.of();
        }
        if (!(v instanceof ArrNode arr)) {
            problems.add(join(at, field), "expected an array of strings");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Node s : arr.items()) {
            if (!(s instanceof ValNode val)) {
                problems.add(join(at, field), "expected an array of strings");
                return List.of();
            }
            out.add(String.valueOf(val.text()));
        }
        return List.copyOf(out);
    }

    List<ObjNode> array(ObjNode node, String field, String at) {
        Node v = member(node, field);
        if (!present(v)) {
            return List.of();
        }
        if (!(v instanceof ArrNode arr)) {
            problems.add(join(at, field), "expected an array");
            return List.of();
        }
        List<ObjNode> out = new ArrayList<>();
        int i = 0;
        for (Node e : arr.items()) {
            if (e instanceof ObjNode o) {
                out.add(o);
            } else {
                problems.add(join(at, field) + "[" + i + "]", "expected an object");
            }
            i++;
        }
        return out;
    }

    /** A value as a problem shows it: scalars as JSON writes them, objects and arrays by kind. */
    private static String shown(Node v) {
        return switch (v) {
            case ValNode val when val.value() instanceof String t -> "\"" + t + "\"";
            case ValNode val -> String.valueOf(val.value());
            case ObjNode o -> "an object";
            case ArrNode a -> "an array";
        };
    }

    static String join(String at, String field) {
        return at.isEmpty() ? field : at + "." + field;
    }
}
