package dev.ward.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.registry.ImageConfigSource;
import dev.ward.taskdef.CloudFormationReader;
import dev.ward.taskdef.source.Intrinsics;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

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
            if (!CloudFormationReader.TASK_DEF.equals(r.getValue().path("Type").asText())) {
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

    /** A YAML template: short-form intrinsics, comments, quoting and layout are kept (see {@link YamlNodes}). */
    public String injectYaml(String source, String text) throws InjectException {
        List<Node> docs = YamlNodes.compose(source, text);
        if (docs.size() != 1 || !(docs.getFirst() instanceof MappingNode root)) {
            throw new InjectException("expected one YAML document, a CloudFormation template (a mapping with Resources)");
        }
        ObjectNode before = (ObjectNode) YamlNodes.toJson(root, true);
        ObjectNode after = injectJson(before);
        Node merged = YamlNodes.merge(root, before, after, true);
        YamlNodes.check(merged, after, true);
        return YamlNodes.write(List.of(merged), text);
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
            checkIntrinsics(resource, (ObjectNode) c, options.mode() == InjectOptions.Mode.SIDECAR);
            camel.add(recase(c, false));
        }
        if (props.has("ExecutionRoleArn")) {
            td.set("executionRoleArn", props.get("ExecutionRoleArn"));
        }
        if (props.has("Memory")) {
            td.set("memory", props.get("Memory")); // only whether it is there counts (the agent's own memory)
        }
        JsonNode os = props.path("RuntimePlatform").path("OperatingSystemFamily");
        if (os.isTextual()) {
            td.putObject("runtimePlatform").put("operatingSystemFamily", os.asText());
        }
        JsonNode platform = props.path("RuntimePlatform").path("CpuArchitecture");
        if (platform.isTextual()) {
            td.with("runtimePlatform").put("cpuArchitecture", platform.asText());
        }
        EcsInjector ecs = new EcsInjector(options, images);
        ObjectNode out;
        try {
            out = ecs.inject(td);
        } catch (InjectException e) {
            throw e.prefixed(resource + ": ");
        }
        ArrayNode pascal = JsonNodeFactory.instance.arrayNode();
        for (JsonNode c : out.get("containerDefinitions")) {
            pascal.add(recase(c, true));
        }
        ((ObjectNode) props).set("ContainerDefinitions", pascal);
        ecs.notes().forEach(n -> notes.add(resource + ": " + n));
    }

    /** Fields Ward must read or rewrite may not be intrinsics it cannot evaluate. */
    private static void checkIntrinsics(String resource, ObjectNode c, boolean sidecar) throws InjectException {
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
        // the image is read only for the argv: sidecar mode without EntryPoint, embedded mode when Command alone
        // overrides the image's CMD (embedded images start Ward themselves otherwise)
        boolean readsImage = !c.has("EntryPoint") && (sidecar || c.has("Command"));
        if (image != null && intrinsic(image) != null && readsImage) {
            throw new InjectException(resource + " container " + name + ": Image is " + intrinsic(image)
                    + ", so Ward cannot read the image's ENTRYPOINT and CMD; give EntryPoint (and Command) in the template");
        }
    }

    /** "Ref" or "Fn::X" when {@code v} is an intrinsic function object, else null. */
    static String intrinsic(JsonNode v) {
        if (v.isObject() && v.size() == 1) {
            String k = v.fieldNames().next();
            if (Intrinsics.isFunctionKey(k)) {
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
}
