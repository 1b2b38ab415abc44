package dev.ward.taskdef.source;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The value of a composed YAML scalar, by the tag the YAML 1.2 core schema resolved (every Ward reader composes
 * with it): one rule for every tool, so {@code 0x1F} is 31 to ward check and ward inject alike.
 */
public final class YamlScalars {
    private YamlScalars() {
    }

    /**
     * null, a Boolean, a Long (or a BigInteger beyond 64 bits) for integers in decimal, {@code 0x} hex or {@code 0o}
     * octal, a BigDecimal for floats, and the text for everything else ({@code .inf} and {@code .nan} included).
     */
    public static Object value(ScalarNode sc) {
        String v = sc.getValue();
        Tag t = sc.getTag();
        if (t.equals(Tag.NULL)) {
            return null;
        }
        if (t.equals(Tag.BOOL)) {
            return Boolean.parseBoolean(v.toLowerCase(Locale.ROOT));
        }
        if (t.equals(Tag.INT)) {
            BigInteger b = integer(v);
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        if (t.equals(Tag.FLOAT)) {
            try {
                return new BigDecimal(v);
            } catch (NumberFormatException e) {
                return v;
            }
        }
        return v;
    }

    private static BigInteger integer(String v) {
        String t = v.replace("_", "");
        boolean neg = t.startsWith("-");
        if (t.startsWith("+") || t.startsWith("-")) {
            t = t.substring(1);
        }
        BigInteger i = t.startsWith("0x") ? new BigInteger(t.substring(2), 16)
                : t.startsWith("0o") ? new BigInteger(t.substring(2), 8) : new BigInteger(t);
        return neg ? i.negate() : i;
    }
}
