package dev.ward.local;

import dev.ward.local.ContainerDefinition.Condition;
import dev.ward.local.ContainerDefinition.Dependency;
import dev.ward.local.ContainerDefinition.HealthCheck;
import dev.ward.local.ContainerDefinition.MountPoint;
import dev.ward.local.ContainerDefinition.PortMapping;
import dev.ward.local.ContainerDefinition.Secret;
import dev.ward.local.ContainerDefinition.VolumeFrom;
import dev.ward.local.TaskDefinition.Volume;
import dev.ward.taskdef.TaskDefinitions;
import dev.ward.taskdef.source.ArrNode;
import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.JsonSource;
import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.ObjNode;
import dev.ward.taskdef.source.ValNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a task definition: {@code aws ecs register-task-definition} input, or
 * {@code describe-task-definition} output (the {@code taskDefinition} wrapper, unwrapped as every tool does it:
 * {@link TaskDefinitions#unwrap}). The JSON is read by ward-taskdef's bounded reader, as ward check and ward inject
 * read it. Every problem found is collected and reported at once, each naming the container and the field;
 * {@link TaskGraph} then checks what spans containers (dependsOn, volumesFrom, mountPoints).
 *
 * <p>Fields are looked up by their exact ECS names (the shared nodes also offer case-insensitive lookups, for
 * CloudFormation; ECS itself rejects {@code Image} for {@code image}, and so does ward local).
 */
public final class TaskDefinitionReader {
    private final Problems problems;

    private TaskDefinitionReader(String where) {
        this.problems = new Problems(where);
    }

    /** Reads and validates {@code file}; throws {@link LocalException.BadInput} listing every problem. */
    public static TaskDefinition read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new LocalException.BadInput(file + ": cannot read the task definition: " + e.getMessage());
        }
        return parse(file, text);
    }

    /** Parses task definition JSON; {@code file} is only used in messages (may be null). */
    public static TaskDefinition parse(Path file, String text) {
        String where = file == null ? "task definition" : file.toString();
        Node root;
        try {
            root = JsonSource.parse(text, where);
        } catch (BadInputException e) {
            throw new LocalException.BadInput(e.where() + ": not valid JSON: " + e.detail());
        }
        TaskDefinitionReader r = new TaskDefinitionReader(where);
        TaskDefinition def = r.task(file, root);
        r.problems.throwIfAny();
        TaskGraph.validate(def, r.problems);
        r.problems.throwIfAny();
        return def;
    }

    private TaskDefinition task(Path file, Node doc) {
        if (!(TaskDefinitions.unwrap(doc) instanceof ObjNode root)) {
            problems.add("", "expected a JSON object (a task definition, or describe output with \"taskDefinition\")");
            return null;
        }
        String family = text(root, "family", "");
        if (family == null || family.isBlank()) {
            problems.add("family", "missing (the task definition family)");
            family = "task";
        }
        int revision = has(root, "revision") ? intValue(root, "revision", "") : 1;
        List<Volume> volumes = new ArrayList<>();
        int i = 0;
        for (ObjNode v : array(root, "volumes", "")) {
            volumes.add(volume(v, "volumes[" + i++ + "]"));
        }
        List<ContainerDefinition> containers = new ArrayList<>();
        if (!(member(root, "containerDefinitions") instanceof ArrNode defs) || defs.items().isEmpty()) {
            problems.add("containerDefinitions", "missing or empty (expected an array of containers)");
        } else {
            i = 0;
            for (Node c : defs.items()) {
                containers.add(container(c, i++));
            }
        }
        String pidMode = text(root, "pidMode", "");
        if (pidMode != null && !pidMode.equals("task")) {
            problems.add("pidMode", "\"" + pidMode + "\" is not supported (Fargate allows only \"task\")");
        }
        String ipcMode = text(root, "ipcMode", "");
        if (ipcMode != null && !ipcMode.equals("none")) {
            problems.add("ipcMode", "\"" + ipcMode + "\" is not supported on Fargate");
        }
        return new TaskDefinition(file, family, revision, scalar(root, "cpu"), scalar(root, "memory"), pidMode,
                List.copyOf(volumes), List.copyOf(containers));
    }

    private Volume volume(ObjNode v, String at) {
        String name = text(v, "name", at);
        if (name == null) {
            problems.add(at + ".name", "missing");
        }
        for (String unsupported : List.of("efsVolumeConfiguration", "fsxWindowsFileServerVolumeConfiguration")) {
            if (has(v, unsupported)) {
                problems.add(at + " (" + name + ")." + unsupported,
                        "not supported locally (only host.sourcePath bind mounts and task-scoped volumes are)");
            }
        }
        if (member(v, "configuredAtLaunch") instanceof ValNode b && Boolean.TRUE.equals(b.value())) {
            problems.add(at + " (" + name + ").configuredAtLaunch", "not supported locally (EBS volumes)");
        }
        String source = member(v, "host") instanceof ObjNode host ? text(host, "sourcePath", at + ".host") : null;
        return new Volume(name == null ? "" : name, source);
    }

    private ContainerDefinition container(Node node, int index) {
        // a container that is not an object reads as one without fields: every required field is then reported
        ObjNode c = node instanceof ObjNode o ? o : new ObjNode(node.path(), node.pos(), null, Map.of());
        String name = text(c, "name", "containerDefinitions[" + index + "]");
        String at = "containerDefinitions[" + index + "]" + (name == null ? "" : " (" + name + ")");
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,255}")) {
            problems.add(at + ".name", name == null ? "missing"
                    : "\"" + name + "\" (expected letters, digits, hyphens and underscores)");
            name = name == null ? "container" + index : name;
        }
        String image = text(c, "image", at);
        if (image == null || image.isBlank()) {
            problems.add(at + ".image", "missing");
        }
        Map<String, String> env = new LinkedHashMap<>();
        int i = 0;
        for (ObjNode e : array(c, "environment", at)) {
            String p = at + ".environment[" + i++ + "]";
            String n = text(e, "name", p);
            if (n == null || n.isEmpty()) {
                problems.add(p + ".name", "missing");
            } else {
                String value = text(e, "value", p);
                env.put(n, value == null ? "" : value);
            }
        }
        List<String> envFiles = new ArrayList<>();
        i = 0;
        for (ObjNode e : array(c, "environmentFiles", at)) {
            String p = at + ".environmentFiles[" + i++ + "]";
            String value = text(e, "value", p);
            if (value == null) {
                problems.add(p + ".value", "missing");
            } else {
                envFiles.add(value);
            }
        }
        List<Secret> secrets = new ArrayList<>();
        i = 0;
        for (ObjNode s : array(c, "secrets", at)) {
            String p = at + ".secrets[" + i++ + "]";
            String n = text(s, "name", p);
            String from = text(s, "valueFrom", p);
            if (n == null || from == null) {
                problems.add(p, "needs both name and valueFrom");
            } else {
                secrets.add(new Secret(n, from));
            }
        }
        List<PortMapping> ports = new ArrayList<>();
        i = 0;
        for (ObjNode pm : array(c, "portMappings", at)) {
            String p = at + ".portMappings[" + i++ + "]";
            if (has(pm, "containerPortRange")) {
                problems.add(p + ".containerPortRange", "not supported locally (use containerPort)");
                continue;
            }
            int cp = intValue(pm, "containerPort", p);
            Integer hp = has(pm, "hostPort") ? intValue(pm, "hostPort", p) : null;
            String protocol = text(pm, "protocol", p);
            protocol = protocol == null ? "tcp" : protocol.toLowerCase(Locale.ROOT);
            if (cp < 1 || cp > 65535) {
                problems.add(p + ".containerPort", cp + " (expected 1..65535)");
            } else if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                problems.add(p + ".protocol", "\"" + protocol + "\" (expected tcp or udp)");
            } else {
                ports.add(new PortMapping(cp, hp, protocol));
            }
        }
        List<MountPoint> mounts = new ArrayList<>();
        i = 0;
        for (ObjNode m : array(c, "mountPoints", at)) {
            String p = at + ".mountPoints[" + i++ + "]";
            String src = text(m, "sourceVolume", p);
            String path = text(m, "containerPath", p);
            if (src == null || path == null || !path.startsWith("/")) {
                problems.add(p, "needs sourceVolume and an absolute containerPath");
            } else {
                mounts.add(new MountPoint(src, path, bool(m, "readOnly", p, false)));
            }
        }
        List<VolumeFrom> from = new ArrayList<>();
        i = 0;
        for (ObjNode m : array(c, "volumesFrom", at)) {
            String p = at + ".volumesFrom[" + i++ + "]";
            String src = text(m, "sourceContainer", p);
            if (src == null) {
                problems.add(p + ".sourceContainer", "missing");
            } else {
                from.add(new VolumeFrom(src, bool(m, "readOnly", p, false)));
            }
        }
        List<Dependency> deps = new ArrayList<>();
        i = 0;
        for (ObjNode d : array(c, "dependsOn", at)) {
            String p = at + ".dependsOn[" + i++ + "]";
            String dep = text(d, "containerName", p);
            String cond = text(d, "condition", p);
            if (dep == null) {
                problems.add(p + ".containerName", "missing");
                continue;
            }
            Condition condition;
            try {
                condition = Condition.valueOf(cond == null ? "" : cond);
            } catch (IllegalArgumentException e) {
                problems.add(p + ".condition", (cond == null ? "missing" : "\"" + cond + "\"")
                        + " (expected START, COMPLETE, SUCCESS or HEALTHY)");
                continue;
            }
            deps.add(new Dependency(dep, condition));
        }
        List<String> add = new ArrayList<>();
        List<String> drop = new ArrayList<>();
        boolean init = false;
        if (member(c, "linuxParameters") instanceof ObjNode lp) {
            String p = at + ".linuxParameters";
            if (member(lp, "capabilities") instanceof ObjNode caps) {
                add.addAll(strings(caps, "add", p + ".capabilities"));
                drop.addAll(strings(caps, "drop", p + ".capabilities"));
            }
            init = bool(lp, "initProcessEnabled", p, false);
            for (String unsupported : List.of("devices", "tmpfs", "sharedMemorySize", "maxSwap", "swappiness")) {
                if (present(member(lp, unsupported))) {
                    problems.add(p + "." + unsupported, "not supported on Fargate");
                }
            }
        }
        if (bool(c, "privileged", at, false)) {
            problems.add(at + ".privileged", "not supported on Fargate");
        }
        return new ContainerDefinition(name, image == null ? "" : image,
                strings(c, "entryPoint", at), strings(c, "command", at), env, List.copyOf(envFiles),
                List.copyOf(secrets), text(c, "user", at), text(c, "workingDirectory", at), List.copyOf(ports),
                List.copyOf(mounts), List.copyOf(from), List.copyOf(deps), bool(c, "essential", at, true),
                healthCheck(c, at), List.copyOf(add), List.copyOf(drop), init,
                bool(c, "readonlyRootFilesystem", at, false),
                has(c, "stopTimeout") ? rangedInt(c, "stopTimeout", at, 2, 120) : null,
                has(c, "startTimeout") ? rangedInt(c, "startTimeout", at, 2, 600) : null,
                has(c, "memory") ? rangedInt(c, "memory", at, 6, Integer.MAX_VALUE) : null);
    }

    private HealthCheck healthCheck(ObjNode c, String at) {
        Node node = member(c, "healthCheck");
        if (!present(node)) {
            return null;
        }
        // a health check that is not an object reads as one without a command, which is then reported
        ObjNode h = node instanceof ObjNode o ? o : new ObjNode(node.path(), node.pos(), null, Map.of());
        String p = at + ".healthCheck";
        List<String> cmd = strings(h, "command", p);
        if (cmd.size() < 2 || !(cmd.getFirst().equals("CMD") || cmd.getFirst().equals("CMD-SHELL"))) {
            problems.add(p + ".command", "expected [\"CMD\", exe, args...] or [\"CMD-SHELL\", \"shell command\"]");
        }
        return new HealthCheck(cmd,
                has(h, "interval") ? rangedInt(h, "interval", p, 5, 300) : 30,
                has(h, "timeout") ? rangedInt(h, "timeout", p, 2, 60) : 5,
                has(h, "retries") ? rangedInt(h, "retries", p, 1, 10) : 3,
                has(h, "startPeriod") ? rangedInt(h, "startPeriod", p, 0, 300) : 0);
    }

    // Small typed accessors that record a problem instead of throwing. Jackson's tree read numbers and booleans
    // as text where a string was expected, and so do these (ValNode.text()).

    /** The member named exactly {@code field}, or null. */
    private static Node member(ObjNode node, String field) {
        return node.members().get(field);
    }

    /** Written and not null. */
    private static boolean present(Node v) {
        return v != null && !(v instanceof ValNode val && val.value() == null);
    }

    private static boolean has(ObjNode node, String field) {
        return node.members().containsKey(field);
    }

    private String text(ObjNode node, String field, String at) {
        Node v = member(node, field);
        if (!present(v)) {
            return null;
        }
        if (!(v instanceof ValNode val)) {
            problems.add(join(at, field), "expected a string");
            return null;
        }
        return val.text();
    }

    private static String scalar(ObjNode node, String field) {
        return member(node, field) instanceof ValNode v ? v.text() : null;
    }

    private int intValue(ObjNode node, String field, String at) {
        Node v = member(node, field);
        // any number within int's range, fractions truncated (as Jackson's canConvertToInt/asInt did)
        if (v instanceof ValNode val && val.value() instanceof Number n && n.doubleValue() >= Integer.MIN_VALUE
                && n.doubleValue() <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        if (v instanceof ValNode val && val.value() instanceof String t && t.matches("\\d{1,9}")) {
            return Integer.parseInt(t);
        }
        problems.add(join(at, field), v == null ? "missing (expected a number)" : "expected a number, got " + shown(v));
        return 0;
    }

    private int rangedInt(ObjNode node, String field, String at, int min, int max) {
        int v = intValue(node, field, at);
        if (v < min || v > max) {
            problems.add(join(at, field), v + " is out of range (ECS allows " + min + ".."
                    + (max == Integer.MAX_VALUE ? "" : max) + ")");
        }
        return v;
    }

    private boolean bool(ObjNode node, String field, String at, boolean dflt) {
        Node v = member(node, field);
        if (!present(v)) {
            return dflt;
        }
        if (!(v instanceof ValNode val && val.value() instanceof Boolean b)) {
            problems.add(join(at, field), "expected true or false, got " + shown(v));
            return dflt;
        }
        return b;
    }

    private List<String> strings(ObjNode node, String field, String at) {
        Node v = member(node, field);
        if (!present(v)) {
            return List.of();
        }
        if (!(v instanceof ArrNode arr)) {
            problems.add(join(at, field), "expected an array of strings");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Node s : arr.items()) {
            if (!(s instanceof ValNode val)) {
                problems.add(join(at, field), "expected an array of strings");
                return List.of();
            }
            out.add(String.valueOf(val.text()));
        }
        return List.copyOf(out);
    }

    private List<ObjNode> array(ObjNode node, String field, String at) {
        Node v = member(node, field);
        if (!present(v)) {
            return List.of();
        }
        if (!(v instanceof ArrNode arr)) {
            problems.add(join(at, field), "expected an array");
            return List.of();
        }
        List<ObjNode> out = new ArrayList<>();
        int i = 0;
        for (Node e : arr.items()) {
            if (e instanceof ObjNode o) {
                out.add(o);
            } else {
                problems.add(join(at, field) + "[" + i + "]", "expected an object");
            }
            i++;
        }
        return out;
    }

    /** A value as a problem shows it: scalars as JSON writes them, objects and arrays by kind. */
    private static String shown(Node v) {
        return switch (v) {
            case ValNode val when val.value() instanceof String t -> "\"" + t + "\"";
            case ValNode val -> String.valueOf(val.value());
            case ObjNode o -> "an object";
            case ArrNode a -> "an array";
        };
    }

    private static String join(String at, String field) {
        return at.isEmpty() ? field : at + "." + field;
    }

    /** Problems found in one input, reported together. */
    static final class Problems {
        private final String where;
        private final List<String> lines = new ArrayList<>();

        Problems(String where) {
            this.where = where;
        }

        void add(String field, String what) {
            lines.add(where + ": " + (field.isEmpty() ? "" : field + ": ") + what);
        }

        void throwIfAny() {
            if (!lines.isEmpty()) {
                throw new LocalException.BadInput(String.join("\n", lines));
            }
        }
    }
}
