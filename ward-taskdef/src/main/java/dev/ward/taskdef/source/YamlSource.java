package dev.ward.taskdef.source;

import dev.ward.policy.yaml.BoundedYaml;
import dev.ward.policy.yaml.YamlLimitException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Parses YAML into {@link Node}s with their source marks. The document is only composed, never
 * constructed, so CloudFormation's short-form tags ({@code !Ref}, {@code !Sub}, {@code !GetAtt}, ...)
 * need no constructors: they stay on the node as {@link Node#tag()}. Composed by {@link BoundedYaml}, so nesting,
 * aliases and size are within {@link dev.ward.policy.yaml.InputLimits} (the converter below recurses no deeper
 * than the limit) and a recursive alias is an error, not a stack overflow.
 */
public final class YamlSource {
    private YamlSource() {
    }

    public static Node parse(String text, String file) throws BadInputException {
        LoadSettings settings = BoundedYaml.settings(file).setUseMarks(true).build();
        Optional<org.snakeyaml.engine.v2.nodes.Node> root;
        try {
            root = BoundedYaml.compose(text, settings);
        } catch (YamlEngineException e) {
            throw badInput(e, text, file);
        }
        if (root.isEmpty()) {
            throw new BadInputException(file, null, ErrorCode.YAML_SYNTAX, "empty document (expected a YAML mapping)", null);
        }
        return new Converter(text, file).convert(root.get(), JsonPath.ROOT, null);
    }

    /**
     * Every document of a multi-document stream ({@code ---} between them: Kubernetes manifests), with the errors
     * of {@link #parse}; empty documents are skipped.
     */
    public static List<Node> parseAll(String text, String file) throws BadInputException {
        LoadSettings settings = BoundedYaml.settings(file).setUseMarks(true).build();
        List<Node> out = new ArrayList<>();
        try {
            for (org.snakeyaml.engine.v2.nodes.Node n : BoundedYaml.composeAll(text, settings)) {
                out.add(new Converter(text, file).convert(n, JsonPath.ROOT, null));
            }
        } catch (YamlEngineException e) {
            throw badInput(e, text, file);
        }
        if (out.isEmpty()) {
            throw new BadInputException(file, null, ErrorCode.YAML_SYNTAX, "empty document (expected a YAML mapping)", null);
        }
        return out;
    }

    /** The positioned error for what the YAML reader refused: a limit, a syntax error, or (no position) another. */
    private static BadInputException badInput(YamlEngineException e, String text, String file) {
        if (e instanceof YamlLimitException l) {
            return BadInputException.at(file, text, l.getProblemMark().map(YamlSource::pos).orElse(null), ErrorCode.LIMIT,
                    l.getProblem());
        }
        if (e instanceof MarkedYamlEngineException m) {
            String problem = m.getProblem() == null ? "malformed YAML" : m.getProblem();
            String context = m.getContext() == null ? "" : " (" + m.getContext() + ")";
            return BadInputException.at(file, text, m.getProblemMark().map(YamlSource::pos).orElse(null),
                    ErrorCode.YAML_SYNTAX, problem + context);
        }
        return new BadInputException(file, null, ErrorCode.YAML_SYNTAX, String.valueOf(e.getMessage()), null);
    }

    static Pos pos(Mark m) {
        return new Pos(m.getLine() + 1, m.getColumn() + 1);
    }

    private record Converter(String text, String file) {
        Node convert(org.snakeyaml.engine.v2.nodes.Node n, String path, Pos anchor) throws BadInputException {
            Pos own = n.getStartMark().map(YamlSource::pos).orElse(new Pos(1, 1));
            Pos at = anchor == null ? own : anchor;
            String tag = localTag(n.getTag());
            if (n instanceof MappingNode m) {
                Map<String, Node> members = new LinkedHashMap<>();
                for (NodeTuple t : m.getValue()) {
                    if (!(t.getKeyNode() instanceof ScalarNode k)) {
                        Pos kp = t.getKeyNode().getStartMark().map(YamlSource::pos).orElse(own);
                        throw BadInputException.at(file, text, kp, ErrorCode.SHAPE, "mapping key is not a scalar (expected a plain key)");
                    }
                    Pos kp = k.getStartMark().map(YamlSource::pos).orElse(own);
                    String key = k.getValue();
                    if (members.containsKey(key)) {
                        throw BadInputException.at(file, text, kp, ErrorCode.DUPLICATE_KEY,
                                "duplicate key \"" + key + "\" (each key may appear once in a mapping)");
                    }
                    members.put(key, convert(t.getValueNode(), JsonPath.member(path, key), kp));
                }
                return new ObjNode(path, at, tag, members);
            }
            if (n instanceof SequenceNode s) {
                List<Node> items = new ArrayList<>();
                for (org.snakeyaml.engine.v2.nodes.Node item : s.getValue()) {
                    items.add(convert(item, JsonPath.index(path, items.size()), null));
                }
                return new ArrNode(path, at, tag, items);
            }
            ScalarNode sc = (ScalarNode) n;
            return new ValNode(path, at, tag, tag != null ? sc.getValue() : YamlScalars.value(sc));
        }
    }

    /** A tag written in the source as {@code !Name}; standard {@code tag:yaml.org,2002:} tags give null. */
    private static String localTag(Tag tag) {
        String v = tag.getValue();
        return Intrinsics.isShortTag(v) ? v : null;
    }
}
