package dev.ward.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.registry.ImageConfigSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.RepresentToNode;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.representer.StandardRepresenter;

/**
 * CloudFormation templates (JSON, or YAML with the short-form intrinsics {@code !Ref}, {@code !Sub}, ...): each
 * {@code AWS::ECS::TaskDefinition} resource's {@code ContainerDefinitions} get the same changes as a task
 * definition (see {@link EcsInjector}); the sidecar is added to the same resource. Property names are the ECS API's
 * in PascalCase; maps whose keys are data ({@code Options}, {@code DockerLabels}) and intrinsic functions are left
 * as they are. A value Ward must read or rewrite that is an intrinsic (an {@code Image} given by {@code !Ref}
 * with no {@code EntryPoint}, a {@code Command} from {@code !Ref}) is refused, naming resource, container and field.
 * YAML short forms come back as short forms; comments are not kept.
 */
public final class CloudFormationInjector {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Keys whose values are maps of data, not of properties: their keys keep their case. */
    static final List<String> DATA_MAPS = List.of("Options", "DockerLabels", "options", "dockerLabels");

    private final InjectOptions options;
    private final ImageConfigSource images;
    private final List<String> notes = new ArrayList<>();

    public CloudFormationInjector(InjectOptions options, ImageConfigSource images) {
        this.options = options;
        this.images = images;
    }

    public List<String> notes() {
        return notes;
    }

    static boolean looksLike(String text) {
        return text.contains("AWSTemplateFormatVersion") || text.contains("AWS::ECS::TaskDefinition");
    }

    /** A JSON template. */
    public ObjectNode injectJson(ObjectNode template) throws InjectException {
        ObjectNode out = template.deepCopy();
        JsonNode resources = out.get("Resources");
        if (resources == null || !resources.isObject()) {
            throw new InjectException("Resources: expected an object of resources");
        }
        int found = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            if (!"AWS::ECS::TaskDefinition".equals(r.getValue().path("Type").asText())) {
                continue;
            }
            found++;
            protect(r.getKey(), (ObjectNode) r.getValue());
        }
        if (found == 0) {
            throw new InjectException("Resources: no AWS::ECS::TaskDefinition resource in the template");
        }
        return out;
    }

    /** A YAML template: short-form intrinsics are read as their long form and written back short. */
    public String injectYaml(String source, String text) throws InjectException {
        Object doc;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(source).setTagConstructors(intrinsicConstructors())
                    .build();
            doc = new Load(settings).loadFromString(text);
        } catch (MarkedYamlEngineException e) {
            var mark = e.getProblemMark().orElse(null);
            throw new InjectException("invalid YAML" + (mark != null ? " at line " + (mark.getLine() + 1) + ", column "
                    + (mark.getColumn() + 1) : "") + ": " + e.getProblem());
        }
        if (!(doc instanceof Map<?, ?>)) {
            throw new InjectException("expected a CloudFormation template (a mapping with Resources)");
        }
        ObjectNode tree = JSON.valueToTree(doc);
        ObjectNode injected = injectJson(tree);
        Object back = JSON.convertValue(injected, Object.class);
        DumpSettings dump = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
                .setIndicatorIndent(0).build();
        return new Dump(dump, new IntrinsicRepresenter(dump)).dumpToString(back);
    }

    private void protect(String resource, ObjectNode r) throws InjectException {
        JsonNode props = r.get("Properties");
        JsonNode defs = props == null ? null : props.get("ContainerDefinitions");
        if (defs == null || !defs.isArray()) {
            throw new InjectException(resource + ": Properties.ContainerDefinitions: expected a list (an intrinsic here "
                    + "cannot be rewritten)");
        }
        ObjectNode td = JsonNodeFactory.instance.objectNode();
        ArrayNode camel = td.putArray("containerDefinitions");
        for (JsonNode c : defs) {
            if (!c.isObject()) {
                throw new InjectException(resource + ": ContainerDefinitions: an intrinsic in place of a container "
                        + "cannot be rewritten");
            }
            checkIntrinsics(resource, (ObjectNode) c);
            camel.add(recase(c, false));
        }
        JsonNode platform = props.path("RuntimePlatform").path("CpuArchitecture");
        if (platform.isTextual()) {
            td.putObject("runtimePlatform").put("cpuArchitecture", platform.asText());
        }
        EcsInjector ecs = new EcsInjector(options, images);
        ObjectNode out;
        try {
            out = ecs.inject(td);
        } catch (InjectException e) {
            throw new InjectException(resource + ": " + e.getMessage());
        }
        ArrayNode pascal = JsonNodeFactory.instance.arrayNode();
        for (JsonNode c : out.get("containerDefinitions")) {
            pascal.add(recase(c, true));
        }
        ((ObjectNode) props).set("ContainerDefinitions", pascal);
        ecs.notes().forEach(n -> notes.add(resource + ": " + n));
    }

    /** Fields Ward must read or rewrite may not be intrinsics it cannot evaluate. */
    private static void checkIntrinsics(String resource, ObjectNode c) throws InjectException {
        String name = c.path("Name").isTextual() ? c.get("Name").asText() : "?";
        for (String f : List.of("EntryPoint", "Command", "Name", "Essential", "User")) {
            JsonNode v = c.get(f);
            if (v != null && intrinsic(v) != null) {
                throw new InjectException(resource + " container " + name + ": " + f + ": " + intrinsic(v)
                        + " cannot be evaluated by ward inject; write the value in the template");
            }
            if (v != null && v.isArray()) {
                for (JsonNode e : v) {
                    if (intrinsic(e) != null) {
                        throw new InjectException(resource + " container " + name + ": " + f + ": " + intrinsic(e)
                                + " inside the list cannot be evaluated by ward inject");
                    }
                }
            }
        }
        JsonNode image = c.get("Image");
        if (image != null && intrinsic(image) != null && !c.has("EntryPoint")) {
            throw new InjectException(resource + " container " + name + ": Image is " + intrinsic(image)
                    + ", so Ward cannot read the image's ENTRYPOINT and CMD; give EntryPoint (and Command) in the template");
        }
    }

    /** "Ref" or "Fn::X" when {@code v} is an intrinsic function object, else null. */
    static String intrinsic(JsonNode v) {
        if (v.isObject() && v.size() == 1) {
            String k = v.fieldNames().next();
            if (k.equals("Ref") || k.startsWith("Fn::") || k.equals("Condition")) {
                return k;
            }
        }
        return null;
    }

    /** Recursively renames keys to camelCase (or back), leaving data maps and intrinsics alone. */
    static JsonNode recase(JsonNode n, boolean toPascal) {
        if (n.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            n.forEach(e -> a.add(recase(e, toPascal)));
            return a;
        }
        if (!n.isObject() || intrinsic(n) != null) {
            return n.deepCopy();
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            String nk = k.isEmpty() ? k : (toPascal ? Character.toUpperCase(k.charAt(0)) : Character.toLowerCase(k.charAt(0)))
                    + k.substring(1);
            o.set(nk, DATA_MAPS.contains(k) ? e.getValue().deepCopy() : recase(e.getValue(), toPascal));
        }
        return o;
    }

    // --- YAML short-form intrinsics ----------------------------------------------------------------------

    static final List<String> SHORT = List.of("Ref", "Sub", "GetAtt", "Join", "Select", "Split", "FindInMap",
            "ImportValue", "GetAZs", "If", "Equals", "Not", "And", "Or", "Base64", "Cidr", "Condition", "Transform",
            "ToJsonString", "Length");

    private static Map<Tag, ConstructNode> intrinsicConstructors() {
        Map<Tag, ConstructNode> m = new LinkedHashMap<>();
        for (String name : SHORT) {
            String key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
            m.put(new Tag("!" + name), new ConstructNode() {
                @Override
                public Object construct(Node node) {
                    Object value = new IntrinsicValueConstructor().value(node);
                    if (name.equals("GetAtt") && value instanceof String s && s.contains(".")) {
                        value = List.of(s.substring(0, s.indexOf('.')), s.substring(s.indexOf('.') + 1));
                    }
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put(key, value);
                    return out;
                }
            });
        }
        return m;
    }

    /** Constructs the plain value under a tag (scalars as strings, sequences and mappings recursively). */
    private static final class IntrinsicValueConstructor {
        Object value(Node node) {
            if (node instanceof ScalarNode s) {
                return s.getValue();
            }
            if (node instanceof SequenceNode s) {
                List<Object> out = new ArrayList<>();
                for (Node n : s.getValue()) {
                    out.add(nested(n));
                }
                return out;
            }
            if (node instanceof MappingNode m) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (var t : m.getValue()) {
                    out.put(String.valueOf(value(t.getKeyNode())), nested(t.getValueNode()));
                }
                return out;
            }
            return null;
        }

        /** A nested node may itself be a short-form intrinsic. */
        private Object nested(Node n) {
            String tag = n.getTag().getValue();
            if (tag.startsWith("!")) {
                String name = tag.substring(1);
                String key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
                Map<String, Object> out = new LinkedHashMap<>();
                out.put(key, value(n));
                return out;
            }
            return value(n);
        }
    }

    /** Writes {"Ref": x} as !Ref x and {"Fn::Name": v} as !Name v. */
    private static final class IntrinsicRepresenter extends StandardRepresenter {
        IntrinsicRepresenter(DumpSettings settings) {
            super(settings);
            this.parentClassRepresenters.put(Map.class, new RepresentToNode() {
                @Override
                public Node representData(Object data) {
                    Map<?, ?> m = (Map<?, ?>) data;
                    if (m.size() == 1) {
                        Object k = m.keySet().iterator().next();
                        String key = String.valueOf(k);
                        String shortName = key.equals("Ref") || key.equals("Condition") ? key
                                : key.startsWith("Fn::") ? key.substring(4) : null;
                        if (shortName != null && SHORT.contains(shortName)) {
                            Node inner = represent(m.get(k));
                            return retag(inner, new Tag("!" + shortName));
                        }
                    }
                    return representMapping(Tag.MAP, m, FlowStyle.AUTO);
                }
            });
        }

        private static Node retag(Node n, Tag tag) {
            n.setTag(tag);
            return n;
        }
    }
}
