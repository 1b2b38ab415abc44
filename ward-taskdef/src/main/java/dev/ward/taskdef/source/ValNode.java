package dev.ward.taskdef.source;

/**
 * A scalar: {@code value} is a String, Boolean, Long, Double, java.math.BigInteger or BigDecimal, or
 * null for JSON null / YAML null. A YAML scalar with an intrinsic tag ({@code !Ref name}) keeps its text
 * as a String and its tag.
 */
public record ValNode(String path, Pos pos, String tag, Object value) implements Node {
    /** The scalar as text: strings as they are, numbers and booleans as JSON writes them, null as null. */
    public String text() {
        return value == null ? null : value.toString();
    }
}
