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
    private final FieldReader fields;

    private TaskDefinitionReader(String where) {
        this.problems = new Problems(where);
        this.fields = new FieldReader(problems);
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
        String family = fields.text(root, "family", "");
        if (family == null || family.isBlank()) {
            problems.add("family", "missing (the task definition family)");
            family = "task";
        }
        int revision = FieldReader.has(root, "revision") ? fields.intValue(root, "revision", "") : 1;
        List<Volume> volumes = new ArrayList<>();
        int i = 0;
        for (ObjNode v : fields.array(root, "volumes", "")) {
            volumes.add(volume(v, "volumes[" + i++ + "]"));
        }
        List<ContainerDefinition> containers = new ArrayList<>();
        if (!(FieldReader.member(root, "containerDefinitions") instanceof ArrNode defs) || defs.items().isEmpty()) {
            problems.add("containerDefinitions", "missing or empty (expected an array of containers)");
        } else {
            i = 0;
            for (Node c : defs.items()) {
                containers.add(container(c, i++));
            }
        }
        String pidMode = fields.text(root, "pidMode", "");
        if (pidMode != null && !pidMode.equals("task")) {
            problems.add("pidMode", "\"" + pidMode + "\" is not supported (Fargate allows only \"task\")");
        }
        String ipcMode = fields.text(root, "ipcMode", "");
        if (ipcMode != null && !ipcMode.equals("none")) {
            problems.add("ipcMode", "\"" + ipcMode + "\" is not supported on Fargate");
        }
        return new TaskDefinition(file, family, revision, FieldReader.scalar(root, "cpu"), FieldReader.scalar(root, "memory"), pidMode,
                List.copyOf(volumes), List.copyOf(containers));
    }

    private Volume volume(ObjNode v, String at) {
        String name = fields.text(v, "name", at);
        if (name == null) {
            problems.add(at + ".name", "missing");
        }
        for (String unsupported : List.of("efsVolumeConfiguration", "fsxWindowsFileServerVolumeConfiguration")) {
            if (FieldReader.has(v, unsupported)) {
                problems.add(at + " (" + name + ")." + unsupported,
                        "not supported locally (only host.sourcePath bind mounts and task-scoped volumes are)");
            }
        }
        if (FieldReader.member(v, "configuredAtLaunch") instanceof ValNode b && Boolean.TRUE.equals(b.value())) {
            problems.add(at + " (" + name + ").configuredAtLaunch", "not supported locally (EBS volumes)");
        }
        String source = FieldReader.member(v, "host") instanceof ObjNode host ? fields.text(host, "sourcePath", at + ".host") : null;
        return new Volume(name == null ? "" : name, source);
    }

    private ContainerDefinition container(Node node, int index) {
        // a container that is not an object reads as one without fields: every required field is then reported
        ObjNode c = node instanceof ObjNode o ? o : new ObjNode(node.path(), node.pos(), null, Map.of());
        String name = fields.text(c, "name", "containerDefinitions[" + index + "]");
        String at = "containerDefinitions[" + index + "]" + (name == null ? "" : " (" + name + ")");
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,255}")) {
            problems.add(at + ".name", name == null ? "missing"
                    : "\"" + name + "\" (expected letters, digits, hyphens and underscores)");
            name = name == null ? "container" + index : name;
        }
        String image = fields.text(c, "image", at);
        if (image == null || image.isBlank()) {
            problems.add(at + ".image", "missing");
        }
        Map<String, String> env = new LinkedHashMap<>();
        int i = 0;
        for (ObjNode e : fields.array(c, "environment", at)) {
            String p = at + ".environment[" + i++ + "]";
            String n = fields.text(e, "name", p);
            if (n == null || n.isEmpty()) {
                problems.add(p + ".name", "missing");
            } else {
                String value = fields.text(e, "value", p);
                env.put(n, value == null ? "" : value);
            }
        }
        List<String> envFiles = new ArrayList<>();
        i = 0;
        for (ObjNode e : fields.array(c, "environmentFiles", at)) {
            String p = at + ".environmentFiles[" + i++ + "]";
            String value = fields.text(e, "value", p);
            if (value == null) {
                problems.add(p + ".value", "missing");
            } else {
                envFiles.add(value);
            }
        }
        List<Secret> secrets = new ArrayList<>();
        i = 0;
        for (ObjNode s : fields.array(c, "secrets", at)) {
            String p = at + ".secrets[" + i++ + "]";
            String n = fields.text(s, "name", p);
            String from = fields.text(s, "valueFrom", p);
            if (n == null || from == null) {
                problems.add(p, "needs both name and valueFrom");
            } else {
                secrets.add(new Secret(n, from));
            }
        }
        List<PortMapping> ports = new ArrayList<>();
        i = 0;
        for (ObjNode pm : fields.array(c, "portMappings", at)) {
            String p = at + ".portMappings[" + i++ + "]";
            if (FieldReader.has(pm, "containerPortRange")) {
                problems.add(p + ".containerPortRange", "not supported locally (use containerPort)");
                continue;
            }
            int cp = fields.intValue(pm, "containerPort", p);
            Integer hp = FieldReader.has(pm, "hostPort") ? fields.intValue(pm, "hostPort", p) : null;
            String protocol = fields.text(pm, "protocol", p);
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
        for (ObjNode m : fields.array(c, "mountPoints", at)) {
            String p = at + ".mountPoints[" + i++ + "]";
            String src = fields.text(m, "sourceVolume", p);
            String path = fields.text(m, "containerPath", p);
            if (src == null || path == null || !path.startsWith("/")) {
                problems.add(p, "needs sourceVolume and an absolute containerPath");
            } else {
                mounts.add(new MountPoint(src, path, fields.bool(m, "readOnly", p, false)));
            }
        }
        List<VolumeFrom> from = new ArrayList<>();
        i = 0;
        for (ObjNode m : fields.array(c, "volumesFrom", at)) {
            String p = at + ".volumesFrom[" + i++ + "]";
            String src = fields.text(m, "sourceContainer", p);
            if (src == null) {
                problems.add(p + ".sourceContainer", "missing");
            } else {
                from.add(new VolumeFrom(src, fields.bool(m, "readOnly", p, false)));
            }
        }
        List<Dependency> deps = new ArrayList<>();
        i = 0;
        for (ObjNode d : fields.array(c, "dependsOn", at)) {
            String p = at + ".dependsOn[" + i++ + "]";
            String dep = fields.text(d, "containerName", p);
            String cond = fields.text(d, "condition", p);
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
        if (FieldReader.member(c, "linuxParameters") instanceof ObjNode lp) {
            String p = at + ".linuxParameters";
            if (FieldReader.member(lp, "capabilities") instanceof ObjNode caps) {
                add.addAll(fields.strings(caps, "add", p + ".capabilities"));
                drop.addAll(fields.strings(caps, "drop", p + ".capabilities"));
            }
            init = fields.bool(lp, "initProcessEnabled", p, false);
            for (String unsupported : List.of("devices", "tmpfs", "sharedMemorySize", "maxSwap", "swappiness")) {
                if (FieldReader.present(FieldReader.member(lp, unsupported))) {
                    problems.add(p + "." + unsupported, "not supported on Fargate");
                }
            }
        }
        if (fields.bool(c, "privileged", at, false)) {
            problems.add(at + ".privileged", "not supported on Fargate");
        }
        return new ContainerDefinition(name, image == null ? "" : image,
                fields.strings(c, "entryPoint", at), fields.strings(c, "command", at), env, List.copyOf(envFiles),
                List.copyOf(secrets), fields.text(c, "user", at), fields.text(c, "workingDirectory", at), List.copyOf(ports),
                List.copyOf(mounts), List.copyOf(from), List.copyOf(deps), fields.bool(c, "essential", at, true),
                healthCheck(c, at), List.copyOf(add), List.copyOf(drop), init,
                fields.bool(c, "readonlyRootFilesystem", at, false),
                FieldReader.has(c, "stopTimeout") ? fields.rangedInt(c, "stopTimeout", at, 2, 120) : null,
                FieldReader.has(c, "startTimeout") ? fields.rangedInt(c, "startTimeout", at, 2, 600) : null,
                FieldReader.has(c, "memory") ? fields.rangedInt(c, "memory", at, 6, Integer.MAX_VALUE) : null);
    }

    private HealthCheck healthCheck(ObjNode c, String at) {
        Node node = FieldReader.member(c, "healthCheck");
        if (!FieldReader.present(node)) {
            return null;
        }
        // a health check that is not an object reads as one without a command, which is then reported
        ObjNode h = node instanceof ObjNode o ? o : new ObjNode(node.path(), node.pos(), null, Map.of());
        String p = at + ".healthCheck";
        List<String> cmd = fields.strings(h, "command", p);
        if (cmd.size() < 2 || !(cmd.getFirst().equals("CMD") || cmd.getFirst().equals("CMD-SHELL"))) {
            problems.add(p + ".command", "expected [\"CMD\", exe, args...] or [\"CMD-SHELL\", \"shell command\"]");
        }
        return new HealthCheck(cmd,
                FieldReader.has(h, "interval") ? fields.rangedInt(h, "interval", p, 5, 300) : 30,
                FieldReader.has(h, "timeout") ? fields.rangedInt(h, "timeout", p, 2, 60) : 5,
                FieldReader.has(h, "retries") ? fields.rangedInt(h, "retries", p, 1, 10) : 3,
                FieldReader.has(h, "startPeriod") ? fields.rangedInt(h, "startPeriod", p, 0, 300) : 0);
    }
}
