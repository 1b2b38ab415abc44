package dev.ward.policy.yaml;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The fields of one YAML mapping checked against the names the CRD allows there: unknown names, names given twice
 * and KubeArmor fields Ward does not support yet are reported; the rest can be read by name with their nodes (and
 * so their positions).
 */
final class Fields {
    private final Node node;
    private final String what;
    private final Map<String, Node> values = new LinkedHashMap<>();
    private final Map<String, Node> keys = new LinkedHashMap<>();

    private Fields(Node node, String what) {
        this.node = node;
        this.what = what;
    }

    /**
     * Reads a mapping; null (after reporting) when the node is not one.
     *
     * @param what        how the mapping is named in messages, e.g. "file.matchPaths[0]"
     * @param known       field names allowed, or null for an open mapping (any name)
     * @param unsupported field names KubeArmor allows and Ward does not implement yet
     */
    static Fields of(Node node, String what, Problems p, Set<String> known, Set<String> unsupported) {
        if (!(node instanceof MappingNode m)) {
            p.at(node, ErrorCode.WRONG_TYPE, what + " is " + Values.describe(node) + " (expected a mapping"
                    + (known == null ? "" : " of " + String.join(", ", sorted(known))) + ")");
            return null;
        }
        Fields f = new Fields(node, what);
        for (NodeTuple t : m.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode ks)) {
                p.at(k, ErrorCode.WRONG_TYPE, "a key in " + what + " is " + Values.describe(k)
                        + " (expected a field name)");
                continue;
            }
            String name = ks.getValue();
            if (f.values.containsKey(name)) {
                p.at(k, ErrorCode.DUPLICATE_KEY, "field '" + name + "' given twice in " + what
                        + " (expected each field once; the first is at line " + Values.line(f.keys.get(name)) + ")");
                continue;
            }
            if (unsupported.contains(name)) {
                p.at(k, ErrorCode.UNSUPPORTED, "'" + name + "' in " + what
                        + " is not supported by Ward yet (expected the policy without it)");
            } else if (known != null && !known.contains(name)) {
                String hint = Values.closest(name, known);
                p.at(k, ErrorCode.UNKNOWN_FIELD, "unknown field '" + name + "' in " + what + " (expected "
                        + (hint != null ? "'" + hint + "'; " : "") + "one of " + String.join(", ", sorted(known))
                        + ")");
            }
            f.keys.put(name, k);
            f.values.put(name, t.getValueNode());
        }
        return f;
    }

    Node node() {
        return node;
    }

    String what() {
        return what;
    }

    /** The value node of a field, or null when absent or written as null. */
    Node get(String name) {
        Node v = values.get(name);
        return Values.isNull(v) ? null : v;
    }

    /** The key node of a field (for a message placed on the field's name), or null when absent. */
    Node key(String name) {
        return keys.get(name);
    }

    boolean has(String name) {
        return get(name) != null;
    }

    /** The value node of a required field; reports and returns null when missing. */
    Node require(String name, Problems p, String expected) {
        Node v = get(name);
        if (v == null) {
            Node at = keys.containsKey(name) ? keys.get(name) : node;
            p.at(at, ErrorCode.MISSING_FIELD, "missing '" + name + "' in " + what + " (expected " + expected + ")");
        }
        return v;
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
