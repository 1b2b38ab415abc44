package dev.ward.taskdef;

import dev.ward.taskdef.source.ArrNode;
import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.ObjNode;
import dev.ward.taskdef.source.Pos;
import dev.ward.taskdef.source.ValNode;
import java.util.Optional;

/**
 * A scalar field as read from a task definition, service, template or plan.
 *
 * @param text     the literal as text ({@code "true"}, {@code "0"}, {@code "nginx:1.25"}); null for JSON
 *                 null; for a dynamic value a short rendering such as {@code !Ref AppImage}
 * @param dynamic  true when the value is a CloudFormation intrinsic, known only at deploy time; rules
 *                 don't judge such values (they can't know them) except where noted
 * @param template for {@code !Sub} / {@code Fn::Sub}, the template string; null otherwise
 * @param value    the scalar as parsed (String, Boolean, a Number, or null for null), so that a reader that cares
 *                 tells {@code true} from {@code "true"}; for a dynamic value its rendering
 */
public record Field(String path, Pos pos, String text, boolean dynamic, String template, Object value) {
    /** A field whose value is its text (a literal a reader makes up, such as Kubernetes' "host" network mode). */
    public Field(String path, Pos pos, String text, boolean dynamic, String template) {
        this(path, pos, text, dynamic, template, text);
    }

    public Loc loc() {
        return new Loc(path, pos);
    }

    /** A known literal equal to {@code s}, ignoring case. */
    public boolean is(String s) {
        return !dynamic && text != null && text.equalsIgnoreCase(s);
    }

    /** A known literal true: JSON/YAML {@code true} or the string "true" (CloudFormation accepts both). */
    public boolean isTrue() {
        return is("true");
    }

    /** A known, non-blank literal. */
    public boolean hasText() {
        return !dynamic && text != null && !text.isBlank();
    }

    /** Known literal text, if any. */
    public Optional<String> literal() {
        return dynamic || text == null ? Optional.empty() : Optional.of(text);
    }

    /** Written as null (JSON {@code null}, YAML {@code null} or {@code ~}). */
    public boolean isNull() {
        return !dynamic && value == null;
    }

    /** A literal boolean ({@code true}, not the string {@code "true"}). */
    public Optional<Boolean> bool() {
        return !dynamic && value instanceof Boolean b ? Optional.of(b) : Optional.empty();
    }

    /**
     * A whole number as the ECS API takes one: a number within int's range (a fraction is cut off) or a string of
     * up to nine digits.
     */
    public Optional<Integer> integer() {
        if (dynamic) {
            return Optional.empty();
        }
        if (value instanceof Number n && n.doubleValue() >= Integer.MIN_VALUE && n.doubleValue() <= Integer.MAX_VALUE) {
            return Optional.of(n.intValue());
        }
        if (value instanceof String t && t.matches("\\d{1,9}")) {
            return Optional.of(Integer.parseInt(t));
        }
        return Optional.empty();
    }

    /** Text for messages: the literal, or the rendering of the intrinsic. */
    public String shown() {
        return text == null ? "null" : text;
    }

    /** Reads a scalar node; objects and arrays that are not intrinsics give empty. */
    public static Optional<Field> of(Node n) {
        if (n.intrinsic()) {
            String shown = render(n);
            return Optional.of(new Field(n.path(), n.pos(), shown, true, subTemplate(n), shown));
        }
        if (n instanceof ValNode v) {
            return Optional.of(new Field(v.path(), v.pos(), v.text(), false, null, v.value()));
        }
        return Optional.empty();
    }

    private static String render(Node n) {
        if (n instanceof ValNode v) {
            return v.tag() + " " + v.text();
        }
        if (n instanceof ObjNode o && !o.members().isEmpty()) {
            var e = o.members().entrySet().iterator().next();
            String inner = e.getValue() instanceof ValNode v ? " " + v.text() : " ...";
            return (o.tag() != null ? o.tag() : e.getKey()) + inner;
        }
        return (n.tag() == null ? "intrinsic" : n.tag()) + " ...";
    }

    /** The template of a {@code !Sub "..."}, {@code !Sub ["...", {...}]} or {@code {"Fn::Sub": ...}}. */
    private static String subTemplate(Node n) {
        Node body = n;
        if (n.tag() == null && n instanceof ObjNode o) {
            Optional<Node> sub = o.get("Fn::Sub");
            if (sub.isEmpty()) {
                return null;
            }
            body = sub.get();
        } else if (!"!Sub".equals(n.tag())) {
            return null;
        }
        if (body instanceof ValNode v && v.value() instanceof String s) {
            return s;
        }
        if (body instanceof ArrNode a && !a.items().isEmpty() && a.items().getFirst() instanceof ValNode v
                && v.value() instanceof String s) {
            return s;
        }
        return null;
    }
}
