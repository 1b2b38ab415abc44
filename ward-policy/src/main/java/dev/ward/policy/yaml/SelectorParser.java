package dev.ward.policy.yaml;

import dev.ward.policy.model.LabelExpression;
import dev.ward.policy.model.Selector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** {@code spec.selector}: matchLabels (string to string) and matchExpressions (key label, In/NotIn, "k=v"). */
final class SelectorParser {
    private SelectorParser() {
    }

    private static final Set<String> FIELDS = Set.of("matchLabels", "matchExpressions");
    private static final Set<String> EXPRESSION_FIELDS = Set.of("key", "operator", "values");

    static Selector read(Node n, Problems p) {
        Fields f = Fields.of(n, "spec.selector", p, FIELDS, Set.of());
        if (f == null) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        Node ml = f.get("matchLabels");
        if (ml != null) {
            if (ml instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    String k = t.getKeyNode() instanceof ScalarNode ks ? ks.getValue() : null;
                    String v = Values.string(t.getValueNode(), "spec.selector.matchLabels." + k, p);
                    if (k == null) {
                        p.at(t.getKeyNode(), ErrorCode.WRONG_TYPE, "a label name is "
                                + Values.describe(t.getKeyNode()) + " (expected a string)");
                    } else if (labels.containsKey(k)) {
                        p.at(t.getKeyNode(), ErrorCode.DUPLICATE_KEY, "label '" + k + "' given twice in "
                                + "spec.selector.matchLabels (expected each label once)");
                    } else if (v != null) {
                        labels.put(k, v);
                    }
                }
            } else {
                p.at(ml, ErrorCode.WRONG_TYPE, "spec.selector.matchLabels is " + Values.describe(ml)
                        + " (expected a mapping of label names to values)");
            }
        }
        List<LabelExpression> expressions = new ArrayList<>();
        Node me = f.get("matchExpressions");
        if (me != null) {
            List<Node> items = Values.sequence(me, "spec.selector.matchExpressions",
                    "{key: label, operator: In|NotIn, values: [k=v]}", p);
            for (int i = 0; items != null && i < items.size(); i++) {
                LabelExpression x = expression(items.get(i), "spec.selector.matchExpressions[" + i + "]", p);
                if (x != null) {
                    expressions.add(x);
                }
            }
        }
        return new Selector(labels, expressions);
    }

    private static LabelExpression expression(Node n, String what, Problems p) {
        Fields f = Fields.of(n, what, p, EXPRESSION_FIELDS, Set.of());
        if (f == null) {
            return null;
        }
        Node key = f.require("key", p, "label");
        Node op = f.require("operator", p, "In or NotIn");
        Node vals = f.require("values", p, "a list of label=value strings");
        boolean ok = true;
        if (key != null) {
            String k = Values.string(key, what + ".key", p);
            if (k != null && !k.equals("label")) {
                p.at(key, ErrorCode.BAD_ENUM, what + ".key \"" + k + "\" is not supported (expected label: "
                        + "KubeArmor selects containers by label only)");
                ok = false;
            }
        }
        Boolean in = null;
        if (op != null) {
            String o = Values.string(op, what + ".operator", p);
            if ("In".equals(o)) {
                in = true;
            } else if ("NotIn".equals(o)) {
                in = false;
            } else if (o != null) {
                p.at(op, ErrorCode.BAD_ENUM, what + ".operator \"" + o + "\" is not an operator (expected In or "
                        + "NotIn)");
            }
        }
        List<LabelExpression.Label> labels = new ArrayList<>();
        if (vals != null) {
            List<Node> items = Values.sequence(vals, what + ".values", "label=value strings", p);
            for (int i = 0; items != null && i < items.size(); i++) {
                String v = Values.string(items.get(i), what + ".values[" + i + "]", p);
                if (v == null) {
                    ok = false;
                    continue;
                }
                int eq = v.indexOf('=');
                if (eq <= 0) {
                    p.at(items.get(i), ErrorCode.BAD_SELECTOR, what + ".values[" + i + "] \"" + v
                            + "\" is not a label (expected key=value, e.g. app=nginx)");
                    ok = false;
                    continue;
                }
                labels.add(new LabelExpression.Label(v.substring(0, eq).trim(), v.substring(eq + 1).trim()));
            }
        }
        return ok && in != null && key != null && vals != null ? new LabelExpression(in, labels) : null;
    }
}
