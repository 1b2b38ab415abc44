package dev.ward.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.policy.yaml.BoundedYaml;
import dev.ward.policy.yaml.YamlLimitException;
import dev.ward.taskdef.source.Intrinsics;
import dev.ward.taskdef.source.YamlScalars;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Present;
import org.snakeyaml.engine.v2.api.lowlevel.Serialize;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.events.DocumentStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Rewrites YAML documents while keeping what the rewrite does not touch exactly as it was written: comments,
 * quoting, flow or block style, key order, tags (CloudFormation's {@code !Ref}, {@code !Sub}, ...).
 *
 * <p>How: the text is composed into a node tree (no object construction, so unknown tags are kept), converted to
 * a Jackson tree for the injectors, and the injector's result is merged back into the node tree: a node whose
 * value did not change is kept as it is, a mapping keeps its keys in place and gets new keys at its end. The
 * merge checks itself: the merged tree must read back as exactly the injector's result.
 *
 * <p>Known difference: a tagged plain scalar comes back quoted ({@code !Ref Image} as {@code !Ref 'Image'}):
 * snakeyaml's emitter writes a scalar with an explicit tag plain only when the tag could be implied.
 */
final class YamlNodes {
    private static final java.util.regex.Pattern YAML11_NOT_STRING = java.util.regex.Pattern.compile(
            "y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|~|");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private YamlNodes() {
    }

    /**
     * Every document of {@code text}, composed with comments within Ward's input limits ({@link BoundedYaml}: a
     * recursive alias or merge key, deep nesting or an alias bomb is an error, not a hang or a stack overflow).
     * Errors name file, line and column.
     */
    static List<Node> compose(String source, String text) throws InjectException {
        LoadSettings settings = BoundedYaml.settings(source).setParseComments(true).setAllowDuplicateKeys(false)
                .build();
        List<Node> out = new ArrayList<>();
        try {
            for (Node n : BoundedYaml.composeAll(text, settings)) {
                out.add(n);
            }
        } catch (MarkedYamlEngineException e) {
            var mark = e.getProblemMark().orElse(null);
            throw new InjectException(source + (mark != null ? ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1)
                    : "") + (e instanceof YamlLimitException ? ": " : ": invalid YAML: ") + e.getProblem(), true);
        } catch (YamlEngineException e) {
            throw new InjectException(source + ": invalid YAML: " + e.getMessage(), true);
        }
        return out;
    }

    // --- YAML node -> Jackson ---------------------------------------------------------------------------------

    /**
     * The value of {@code n} as JSON. With {@code intrinsics}, a node tagged {@code !Name} becomes CloudFormation's
     * long form ({@code {"Ref": x}}, {@code {"Fn::Name": x}}); without, the tag is ignored.
     */
    static JsonNode toJson(Node n, boolean intrinsics) throws InjectException {
        String tag = n.getTag().getValue();
        if (intrinsics && Intrinsics.isShortTag(tag)) {
            String name = Intrinsics.longName(tag);
            JsonNode inner = plain(n, intrinsics);
            if (name.equals("Fn::GetAtt") && inner.isTextual() && inner.asText().contains(".")) {
                String s = inner.asText();
                inner = F.arrayNode().add(s.substring(0, s.indexOf('.'))).add(s.substring(s.indexOf('.') + 1));
            }
            ObjectNode o = F.objectNode();
            o.set(name, inner);
            return o;
        }
        return plain(n, intrinsics);
    }

    private static JsonNode plain(Node n, boolean intrinsics) throws InjectException {
        if (n instanceof MappingNode m) {
            ObjectNode o = F.objectNode();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    throw new InjectException(position(t.getKeyNode()) + "a complex mapping key is not supported", true);
                }
                if (k.getValue().equals("<<")) {
                    throw new InjectException(position(k) + "merge keys (<<) are not supported", true);
                }
                o.set(k.getValue(), toJson(t.getValueNode(), intrinsics));
            }
            return o;
        }
        if (n instanceof SequenceNode s) {
            ArrayNode a = F.arrayNode();
            for (Node e : s.getValue()) {
                a.add(toJson(e, intrinsics));
            }
            return a;
        }
        // the value by ward-taskdef's rule (the one ward check reads with), as the Jackson node Jackson itself would
        // read: the smallest integer type (so equal values compare equal), floats as doubles
        return switch (YamlScalars.value((ScalarNode) n)) {
            case null -> F.nullNode();
            case Boolean b -> F.booleanNode(b);
            case Long l -> l == l.intValue() ? F.numberNode(l.intValue()) : F.numberNode(l);
            case BigInteger i -> F.numberNode(i);
            case BigDecimal d -> F.numberNode(d.doubleValue());
            case Object o -> F.textNode(o.toString());
        };
    }

    /** {@code file:line:col: } of a node (the mark carries the file name given to {@link #compose}). */
    static String position(Node n) {
        return n.getStartMark().map(m -> m.getName() + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) + ": ")
                .orElse("");
    }

    // --- Jackson -> YAML node, and the merge --------------------------------------------------------------------

    /** {@code original} changed from {@code before} to {@code after}: the node tree for {@code after}. */
    static Node merge(Node original, JsonNode before, JsonNode after, boolean intrinsics) {
        if (before.equals(after)) {
            return original;
        }
        boolean tagged = intrinsics && CloudFormationInjector.intrinsic(after) != null;
        if (!tagged && original instanceof MappingNode m && before.isObject() && after.isObject()
                && (!intrinsics || CloudFormationInjector.intrinsic(before) == null)) {
            List<NodeTuple> tuples = new ArrayList<>();
            for (NodeTuple t : m.getValue()) {
                String key = ((ScalarNode) t.getKeyNode()).getValue();
                if (after.has(key)) {
                    tuples.add(new NodeTuple(t.getKeyNode(), merge(t.getValueNode(), before.get(key), after.get(key),
                            intrinsics)));
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!before.has(e.getKey())) {
                    tuples.add(new NodeTuple(new ScalarNode(Tag.STR, e.getKey(), ScalarStyle.PLAIN),
                            fromJson(e.getValue(), intrinsics, null)));
                }
            }
            m.setValue(tuples);
            return m;
        }
        if (original instanceof SequenceNode s && before.isArray() && after.isArray() && allObjects(before)
                && allObjects(after)) {
            List<Node> items = new ArrayList<>();
            for (int i = 0; i < after.size(); i++) {
                items.add(i < before.size() ? merge(s.getValue().get(i), before.get(i), after.get(i), intrinsics)
                        : fromJson(after.get(i), intrinsics, null));
            }
            s.getValue().clear();
            s.getValue().addAll(items);
            return s;
        }
        Node replaced = fromJson(after, intrinsics, original);
        replaced.setBlockComments(original.getBlockComments());
        replaced.setInLineComments(original.getInLineComments());
        replaced.setEndComments(original.getEndComments());
        return replaced;
    }

    private static boolean allObjects(JsonNode a) {
        for (JsonNode e : a) {
            if (!e.isObject()) {
                return false;
            }
        }
        return true;
    }

    /**
     * A new node for {@code j}. {@code like}, the node it replaces, lends its flow style and its scalars' quoting
     * (so {@code ["a", "b"]} stays a flow list of double-quoted strings).
     */
    static Node fromJson(JsonNode j, boolean intrinsics, Node like) {
        String intrinsic = intrinsics ? CloudFormationInjector.intrinsic(j) : null;
        String shortTag = intrinsic == null ? null : Intrinsics.shortTag(intrinsic);
        if (shortTag != null) {
            Node inner = fromJson(j.get(intrinsic), true, null);
            inner.setTag(new Tag(shortTag));
            return inner;
        }
        if (j.isObject()) {
            List<NodeTuple> tuples = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = j.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                tuples.add(new NodeTuple(new ScalarNode(Tag.STR, e.getKey(), ScalarStyle.PLAIN),
                        fromJson(e.getValue(), intrinsics, null)));
            }
            FlowStyle flow = like instanceof MappingNode m ? m.getFlowStyle() : FlowStyle.BLOCK;
            return new MappingNode(Tag.MAP, tuples, j.isEmpty() ? FlowStyle.FLOW : flow);
        }
        if (j.isArray()) {
            ScalarStyle quoting = ScalarStyle.PLAIN;
            FlowStyle flow = FlowStyle.BLOCK;
            if (like instanceof SequenceNode s) {
                flow = s.getFlowStyle();
                for (Node e : s.getValue()) {
                    if (e instanceof ScalarNode sc && sc.getTag().equals(Tag.STR)) {
                        quoting = sc.getScalarStyle();
                        break;
                    }
                }
            }
            List<Node> items = new ArrayList<>();
            for (JsonNode e : j) {
                Node n = fromJson(e, intrinsics, null);
                if (n instanceof ScalarNode sc && sc.getTag().equals(Tag.STR) && !sc.getValue().contains("\n")) {
                    n = new ScalarNode(Tag.STR, sc.getValue(), quoting);
                }
                items.add(n);
            }
            return new SequenceNode(Tag.SEQ, items, j.isEmpty() ? FlowStyle.FLOW : flow);
        }
        if (j.isNull()) {
            return new ScalarNode(Tag.NULL, "null", ScalarStyle.PLAIN);
        }
        if (j.isBoolean()) {
            return new ScalarNode(Tag.BOOL, j.asText(), ScalarStyle.PLAIN);
        }
        if (j.isIntegralNumber()) {
            return new ScalarNode(Tag.INT, j.asText(), ScalarStyle.PLAIN);
        }
        if (j.isNumber()) {
            return new ScalarNode(Tag.FLOAT, j.asText(), ScalarStyle.PLAIN);
        }
        String text = j.asText();
        ScalarStyle style = like instanceof ScalarNode sc && sc.getTag().equals(Tag.STR) ? sc.getScalarStyle()
                : ScalarStyle.PLAIN;
        if (text.contains("\n")) {
            style = ScalarStyle.LITERAL; // an inline policy reads as the YAML it is
        } else if (style == ScalarStyle.PLAIN && YAML11_NOT_STRING.matcher(text).matches()) {
            // YAML 1.2 reads a plain on/yes/y as a string; kubectl's and CloudFormation's YAML 1.1 read a boolean
            style = ScalarStyle.SINGLE_QUOTED;
        }
        return new ScalarNode(Tag.STR, text, style);
    }

    /** The merge's own check: what was written reads back as the injector's result, or it is a bug here. */
    static void check(Node merged, JsonNode expected, boolean intrinsics) throws InjectException {
        JsonNode back = toJson(merged, intrinsics);
        if (!back.equals(expected)) {
            throw new IllegalStateException("YAML rewrite diverged from the injected document: " + back + " vs " + expected);
        }
    }

    // --- writing ----------------------------------------------------------------------------------------------

    private static final Pattern KEY_THEN_ITEM = Pattern.compile("(?m)^( *)[^\\s#-][^\\n]*:[ \\t]*(?:#[^\\n]*)?\\n"
            + "(?:[ \\t]*(?:#[^\\n]*)?\\n)*( *)- ");

    /**
     * Writes the documents back in the input's manner: list items indented under their key or not (whichever the
     * input does first), {@code ---} before the first document only if the input had it.
     */
    static String write(List<Node> docs, String input) {
        Matcher m = KEY_THEN_ITEM.matcher(input);
        boolean indentedItems = m.find() && m.group(2).length() > m.group(1).length();
        DumpSettings settings = DumpSettings.builder().setDumpComments(true).setIndent(2)
                .setIndicatorIndent(indentedItems ? 2 : 0).setIndentWithIndicator(indentedItems)
                .setWidth(Integer.MAX_VALUE).setSplitLines(false).build();
        boolean firstExplicit = startsWithDocumentMarker(input);
        List<Event> events = new ArrayList<>();
        int doc = 0;
        for (Event e : new Serialize(settings).serializeAll(docs)) {
            if (e instanceof DocumentStartEvent d) {
                boolean explicit = doc > 0 || firstExplicit;
                e = new DocumentStartEvent(explicit, d.getSpecVersion(), d.getTags(), d.getStartMark(), d.getEndMark());
                doc++;
            }
            events.add(e);
        }
        return new Present(settings).emitToString(events.iterator());
    }

    private static boolean startsWithDocumentMarker(String input) {
        for (String line : input.lines().toList()) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("%")) {
                continue;
            }
            return t.equals("---") || t.startsWith("--- ");
        }
        return false;
    }
}
