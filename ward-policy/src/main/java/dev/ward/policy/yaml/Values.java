package dev.ward.policy.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Typed reads of YAML values (core schema), reporting what was found and what was expected. */
final class Values {
    private Values() {
    }

    static boolean isNull(Node n) {
        return n == null || (n instanceof ScalarNode s && Tag.NULL.equals(s.getTag()));
    }

    /** A string scalar, or null after reporting. Numbers and booleans are refused as in a Kubernetes string field. */
    static String string(Node n, String what, Problems p) {
        if (n instanceof ScalarNode s && Tag.STR.equals(s.getTag())) {
            return s.getValue();
        }
        p.at(n, ErrorCode.WRONG_TYPE, what + " is " + describe(n) + " (expected a string"
                + (n instanceof ScalarNode s ? "; quote it: \"" + s.getValue() + "\"" : "") + ")");
        return null;
    }

    /** A boolean, or null after reporting. */
    static Boolean bool(Node n, String what, Problems p) {
        if (n instanceof ScalarNode s && Tag.BOOL.equals(s.getTag())) {
            return Boolean.parseBoolean(s.getValue().toLowerCase(java.util.Locale.ROOT));
        }
        p.at(n, ErrorCode.WRONG_TYPE, what + " is " + describe(n) + " (expected true or false)");
        return null;
    }

    /** An integer in [min, max], or null after reporting. */
    static Integer integer(Node n, String what, int min, int max, Problems p) {
        if (!(n instanceof ScalarNode s && Tag.INT.equals(s.getTag()))) {
            p.at(n, ErrorCode.WRONG_TYPE, what + " is " + describe(n) + " (expected an integer from " + min + " to "
                    + max + ")");
            return null;
        }
        long v;
        try {
            v = coreInteger(s.getValue());
        } catch (NumberFormatException e) {
            p.at(n, ErrorCode.WRONG_TYPE, what + " is " + describe(n) + " (expected a decimal integer from " + min
                    + " to " + max + ")");
            return null;
        }
        if (v < min || v > max) {
            p.at(n, ErrorCode.OUT_OF_RANGE, what + " is " + s.getValue() + " (expected " + min + " to " + max + ")");
            return null;
        }
        return (int) v;
    }

    /** Parses a YAML 1.2 core-schema integer (decimal, 0o octal, 0x hex), clamped to the long range. */
    static long coreInteger(String text) {
        String t = text;
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) {
            t = t.substring(1);
        }
        int radix = 10;
        if (t.startsWith("0x")) {
            radix = 16;
            t = t.substring(2);
        } else if (t.startsWith("0o")) {
            radix = 8;
            t = t.substring(2);
        }
        var v = new java.math.BigInteger(t, radix);
        if (negative) {
            v = v.negate();
        }
        return v.max(java.math.BigInteger.valueOf(Long.MIN_VALUE)).min(java.math.BigInteger.valueOf(Long.MAX_VALUE))
                .longValue();
    }

    /** The items of a sequence, or null after reporting. */
    static List<Node> sequence(Node n, String what, String expected, Problems p) {
        if (n instanceof SequenceNode s) {
            return s.getValue();
        }
        p.at(n, ErrorCode.WRONG_TYPE, what + " is " + describe(n) + " (expected a list of " + expected + ")");
        return null;
    }

    /** A list of strings; wrong items are reported and skipped. Null after reporting when not a list. */
    static List<String> strings(Node n, String what, Problems p) {
        List<Node> items = sequence(n, what, "strings", p);
        if (items == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String s = string(items.get(i), what + "[" + i + "]", p);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    static String describe(Node n) {
        if (n == null || isNull(n)) {
            return "empty";
        }
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode s = (ScalarNode) n;
        Tag t = s.getTag();
        String kind = Tag.INT.equals(t) ? "the integer " : Tag.BOOL.equals(t) ? "the boolean "
                : Tag.FLOAT.equals(t) ? "the number " : Tag.STR.equals(t) ? "the string " : "the value ";
        String v = s.getValue();
        return kind + (Tag.STR.equals(t) ? "\"" + abbreviate(v) + "\"" : abbreviate(v));
    }

    static int line(Node n) {
        return n == null ? 0 : n.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private static String abbreviate(String v) {
        return v.length() > 60 ? v.substring(0, 57) + "..." : v;
    }

    /** The allowed name closest to a misspelt one (edit distance at most 2, case-insensitive), or null. */
    static String closest(String name, Set<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String a : allowed) {
            int d = distance(name.toLowerCase(java.util.Locale.ROOT), a.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = a;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 2) {
            return 3;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
