package dev.ward.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.api.Entrypoint;
import dev.ward.registry.ImageConfigSource;
import dev.ward.registry.Platform;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.TaskDef;
import dev.ward.taskdef.source.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rewrites an ECS task definition (the RegisterTaskDefinition request's JSON) so that the chosen containers start
 * under the Ward agent. Works on the JSON tree in place, so every field it does not touch keeps its value and
 * its place.
 *
 * <p>Sidecar mode (the Lacework and BlueLock pattern, done for the user): a non-essential {@value #AGENT}
 * container from the agent image exits at once after exposing its /ward volume; each protected container gets
 * {@code volumesFrom} it read-only, {@code dependsOn} it with {@code SUCCESS}, and the entry point
 * {@code /ward/bin/java @/ward/ward.args run -- ORIGINAL ARGV}. Embedded mode: the image is replaced by one made
 * with {@code ward image embed}, whose own entry point already starts Ward.
 */
public final class EcsInjector {
    public static final String AGENT = "ward-agent";
    public static final List<String> PREFIX = Entrypoint.PREFIX;
    /** The agent container's user: nobody (it reads its own files, which are world-readable). */
    static final String AGENT_USER = "65534:65534";
    /**
     * Docker label on containers whose embedded image starts Ward (embedded mode, entry point left to the image):
     * ward check reads it, as it cannot see the image's entry point.
     */
    public static final String EMBEDDED_LABEL = "dev.ward.agent";
    /** memoryReservation of the agent container when the task sets no memory (EC2 launch type). */
    static final int AGENT_MEMORY_MIB = 32;
    /** Fields describe-task-definition returns that RegisterTaskDefinition refuses. */
    static final List<String> READ_ONLY = List.of("taskDefinitionArn", "revision", "status", "requiresAttributes",
            "compatibilities", "registeredAt", "registeredBy", "deregisteredAt");

    private final InjectOptions options;
    private final ImageConfigSource images;
    private final List<String> notes = new ArrayList<>();

    public EcsInjector(InjectOptions options, ImageConfigSource images) {
        this.options = options;
        this.images = images;
    }

    /** What was changed, per container, for the user (printed on stderr). */
    public List<String> notes() {
        return notes;
    }

    /**
     * Returns the protected task definition. {@code doc} is the request JSON or the describe output (its
     * {@code taskDefinition} is unwrapped and read-only fields dropped).
     *
     * @throws InjectException naming the container and the field, before anything is changed in the result
     */
    public ObjectNode inject(ObjectNode doc) throws InjectException {
        ObjectNode td = doc.deepCopy();
        if (TaskModel.described(td)) {
            JsonNode tags = td.get("tags"); // describe-task-definition --include TAGS puts them beside the definition
            td = (ObjectNode) td.get("taskDefinition");
            notes.add("unwrapped describe-task-definition output");
            if (tags != null && tags.isArray() && !tags.isEmpty() && !td.has("tags")) {
                td.set("tags", tags);
                notes.add("kept the definition's tags");
            }
        }
        TaskDef declared = TaskModel.read(td);
        String os = TaskModel.text(declared.osFamily()).orElse("LINUX");
        if (!os.equals("LINUX")) {
            throw new InjectException("runtimePlatform.operatingSystemFamily: " + os + ": Ward protects Linux containers only");
        }
        List<String> dropped = new ArrayList<>();
        for (String f : READ_ONLY) {
            if (td.remove(f) != null) {
                dropped.add(f);
            }
        }
        if (!dropped.isEmpty()) {
            notes.add("removed read-only fields " + String.join(", ", dropped));
        }
        JsonNode defs = td.get("containerDefinitions");
        if (defs == null || !defs.isArray() || defs.isEmpty()) {
            throw new InjectException("containerDefinitions: expected a non-empty array of containers");
        }
        String arch = TaskModel.text(declared.cpuArchitecture()).orElse("X86_64");
        TaskShape.check(td, arch);
        List<String> others = ForeignAgents.remove(td);
        if (!others.isEmpty() && !options.replaceAgents()) {
            throw InjectException.refused(ForeignAgents.refusal(others));
        }
        others.forEach(o -> notes.add("removed another agent: " + o));
        Platform platform = Platform.parse(arch);
        TaskDef model = TaskModel.read(td);
        Map<String, Container> byPath = new HashMap<>();
        Set<String> names = new LinkedHashSet<>();
        for (Container c : model.containers()) {
            byPath.put(c.loc().path(), c);
            names.add(TaskModel.name(c));
        }
        for (String wanted : options.containers()) {
            if (!names.contains(wanted)) {
                throw new InjectException("--container " + wanted + ": no such container (the task has "
                        + String.join(", ", names) + ")");
            }
        }
        boolean sidecar = options.mode() == InjectOptions.Mode.SIDECAR;
        ObjectNode firstProtected = null;
        boolean meshed = false;
        for (int i = 0; i < defs.size(); i++) {
            ObjectNode c = (ObjectNode) defs.get(i);
            Container read = byPath.get(JsonPath.index("$.containerDefinitions", i));
            if (read == null) {
                continue; // an intrinsic in place of a container: nothing inject can read or rewrite
            }
            String name = TaskModel.name(read);
            if (!selected(read)) {
                continue;
            }
            meshed |= options.mesh() != null;
            if (alreadyProtected(read)) {
                List<String> change = new ArrayList<>();
                if (options.mesh() != null) {
                    MeshInjection.ecs(options.mesh(), c, name, change);
                }
                notes.add("container " + name + ": already protected, " + (change.isEmpty() ? "unchanged"
                        : String.join("; ", change)));
                continue;
            }
            protect(c, read, name, platform, sidecar);
            if (firstProtected == null) {
                firstProtected = c;
            }
        }
        if (firstProtected != null && options.relayTokenSecret() != null && !present(model.executionRoleArn())) {
            notes.add("the task has no executionRoleArn: ECS needs one (allowed to read " + options.relayTokenSecret()
                    + ") to inject the WARD_RELAY_TOKEN secret");
        }
        if (meshed) {
            meshIdentity(model);
        }
        if (sidecar && firstProtected != null && !names.contains(AGENT)) {
            String image = AgentImages.pinned(options.agentImage(), images, platform, notes);
            ((ArrayNode) defs).add(agentContainer(image, firstProtected, present(model.memory())));
            notes.add("added container " + AGENT + " (" + image + "): non-essential, user " + AGENT_USER
                    + ", read-only root filesystem, exits after exposing /ward");
        }
        return td;
    }

    /** The task must be able to earn its mesh identity: a task role to bind, or an enrollment token. */
    private void meshIdentity(TaskDef model) throws InjectException {
        InjectOptions.Mesh mesh = options.mesh();
        String role = model.taskRoleArn().flatMap(Field::literal).filter(r -> !r.isBlank()).orElse(null);
        if (role == null && mesh.tokenSecret() == null) {
            throw new InjectException("--mesh: the task must earn its mesh identity: give it a taskRoleArn (then "
                    + "'ward mesh bind NS/SA --role ROLE_ARN' on the relay) or --mesh-token-secret ARN holding a token "
                    + "from 'ward mesh enroll NS/SA'");
        }
        String family = TaskModel.text(model.family()).orElse("default");
        notes.add(MeshInjection.identityNote(mesh, mesh.namespace() != null ? mesh.namespace() : "default",
                mesh.serviceAccount() != null ? mesh.serviceAccount() : family, role));
    }

    private boolean selected(Container c) {
        String name = TaskModel.name(c);
        if (name.equals(AGENT)) {
            return false;
        }
        if (!options.containers().isEmpty()) {
            return options.containers().contains(name);
        }
        return c.isEssential();
    }

    private static boolean alreadyProtected(Container c) {
        if (Entrypoint.startsAgent(c.entryPoint().stream().map(Field::shown).toList())) {
            return true;
        }
        if (c.wardLabel().isPresent()) {
            return true;
        }
        return c.volumesFrom().stream().anyMatch(v -> TaskModel.text(v.sourceContainer()).orElse("").equals(AGENT));
    }

    private static boolean present(Optional<Field> f) {
        return f.filter(x -> !x.isNull()).isPresent();
    }

    /** Rewrites {@code c}, the writer's tree of the container {@code read} (ward-taskdef's reading of it). */
    private void protect(ObjectNode c, Container read, String name, Platform platform, boolean sidecar)
            throws InjectException {
        String embeddedImage = options.embeddedImages().get(name);
        if (!sidecar && embeddedImage == null) {
            throw new InjectException("container " + name + ": --mode embedded needs --embedded-image " + name
                    + "=IMAGE (made with ward image embed)");
        }
        boolean overrides = c.has("entryPoint") || c.has("command");
        List<String> entry = strings(c, "entryPoint", name);
        List<String> cmd = strings(c, "command", name);
        String declaredUser = read.user().filter(u -> !u.isNull()).map(Field::shown).orElse(null);
        ProtectionPlan plan = ProtectionPlan.of(new ProtectionPlan.Container("container " + name,
                TaskModel.text(read.image()).orElse(""), entry, cmd, overrides, declaredUser, platform,
                "the task definition sets no entryPoint" + (cmd == null ? " or command" : ""),
                "neither the task definition nor the image sets an entry point or a command"), options, images, notes);
        List<String> change = new ArrayList<>();
        if (plan.argv() != null) {
            ArrayNode ep = JsonNodeFactory.instance.arrayNode();
            plan.wardEntrypoint().forEach(ep::add);
            c.set("entryPoint", ep);
            c.remove("command");
            change.add("entryPoint = Ward + " + plan.argv());
        }
        if (!sidecar) {
            c.put("image", embeddedImage);
            change.add("image = " + embeddedImage);
            if (!overrides) {
                // the entry point that starts Ward is in the image, out of sight of ward check: the label says it is
                JsonNode labels = c.get("dockerLabels");
                (labels instanceof ObjectNode o ? o : c.putObject("dockerLabels")).put(EMBEDDED_LABEL, "embedded");
            }
        } else {
            ArrayNode vf = array(c, "volumesFrom");
            vf.addObject().put("sourceContainer", AGENT).put("readOnly", true);
            ArrayNode deps = array(c, "dependsOn");
            deps.addObject().put("containerName", AGENT).put("condition", "SUCCESS");
            change.add("volumesFrom + dependsOn " + AGENT);
        }
        AgentSettings.ecs(options, c, name, change);
        if (options.mesh() != null) {
            MeshInjection.ecs(options.mesh(), c, name, change);
        }
        if (plan.root()) {
            ObjectNode lp = c.has("linuxParameters") ? (ObjectNode) c.get("linuxParameters") : c.putObject("linuxParameters");
            ObjectNode caps = lp.has("capabilities") ? (ObjectNode) lp.get("capabilities") : lp.putObject("capabilities");
            ArrayNode add = caps.has("add") ? (ArrayNode) caps.get("add") : caps.putArray("add");
            boolean has = false;
            for (JsonNode a : add) {
                has |= a.asText().equals("SYS_PTRACE");
            }
            if (!has) {
                add.add("SYS_PTRACE");
                change.add("capability SYS_PTRACE (to read the memory of workload processes that change user)");
            }
            change.add(plan.user() != null ? "the agent runs as root"
                    : "no user set and the image was not read (the task gives the command): the agent runs as the "
                    + "image's USER, root unless the image says otherwise");
        } else {
            change.add("runs as user " + plan.user() + (declaredUser != null ? "" : " (the image's USER)")
                    + ": the agent runs as that user too (no sudo, no added capability: tracing its own children needs none)");
        }
        notes.add("container " + name + ": " + String.join("; ", change));
    }

    private static List<String> strings(ObjectNode c, String field, String name) throws InjectException {
        JsonNode n = c.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw new InjectException("container " + name + ": " + field + ": expected a JSON array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : n) {
            if (!s.isTextual()) {
                throw new InjectException("container " + name + ": " + field + ": expected strings, found " + s);
            }
            out.add(s.asText());
        }
        return out;
    }

    private ObjectNode agentContainer(String image, ObjectNode app, boolean taskMemory) {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("name", AGENT);
        a.put("image", image);
        a.put("essential", false);
        // It only exposes /ward (a volume, outside the root filesystem) and prints its version: nothing to write,
        // no reason for root. Numeric, as the image has no /etc/passwd.
        a.put("user", AGENT_USER);
        a.put("readonlyRootFilesystem", true);
        if (!taskMemory) {
            // EC2 tasks without task-level memory need memory or memoryReservation on every container; the agent
            // container only exits after the volume is exposed, so a small soft limit does.
            a.put("memoryReservation", AGENT_MEMORY_MIB);
        }
        JsonNode log = app.get("logConfiguration");
        if (log != null) {
            a.set("logConfiguration", log.deepCopy());
        }
        return a;
    }

    private static ArrayNode array(ObjectNode c, String field) {
        JsonNode n = c.get(field);
        return n != null && n.isArray() ? (ArrayNode) n : c.putArray(field);
    }
}
