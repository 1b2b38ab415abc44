package dev.ward.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.local.ContainerDefinition.Condition;
import dev.ward.local.ContainerDefinition.Dependency;
import dev.ward.local.ContainerDefinition.HealthCheck;
import dev.ward.local.ContainerDefinition.MountPoint;
import dev.ward.local.ContainerDefinition.PortMapping;
import dev.ward.local.ContainerDefinition.Secret;
import dev.ward.local.ContainerDefinition.VolumeFrom;
import dev.ward.local.TaskDefinition.Volume;
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
 * {@code describe-task-definition} output (the {@code taskDefinition} wrapper). Every problem found is
 * collected and reported at once, each naming the container and the field; {@link TaskGraph} then checks
 * what spans containers (dependsOn, volumesFrom, mountPoints).
 */
public final class TaskDefinitionReader {
    private static final ObjectMapper JSON = new ObjectMapper();

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
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new LocalException.BadInput(where + (loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr())
                    + ": not valid JSON: " + e.getOriginalMessage());
        }
        TaskDefinitionReader r = new TaskDefinitionReader(where);
        TaskDefinition def = r.task(file, root);
        r.problems.throwIfAny();
        TaskGraph.validate(def, r.problems);
        r.problems.throwIfAny();
        return def;
    }

    private TaskDefinition task(Path file, JsonNode root) {
        if (root != null && root.isObject() && root.has("taskDefinition")) {
            root = root.get("taskDefinition");
        }
        if (root == null || !root.isObject()) {
            problems.add("", "expected a JSON object (a task definition, or describe output with \"taskDefinition\")");
            return null;
        }
        String family = text(root, "family", "");
        if (family == null || family.isBlank()) {
            problems.add("family", "missing (the task definition family)");
            family = "task";
        }
        int revision = root.has("revision") ? intValue(root, "revision", "") : 1;
        List<Volume> volumes = new ArrayList<>();
        int i = 0;
        for (JsonNode v : array(root, "volumes", "")) {
            volumes.add(volume(v, "volumes[" + i++ + "]"));
        }
        List<ContainerDefinition> containers = new ArrayList<>();
        JsonNode defs = root.get("containerDefinitions");
        if (defs == null || !defs.isArray() || defs.isEmpty()) {
            problems.add("containerDefinitions", "missing or empty (expected an array of containers)");
        } else {
            i = 0;
            for (JsonNode c : defs) {
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

    private Volume volume(JsonNode v, String at) {
        String name = text(v, "name", at);
        if (name == null) {
            problems.add(at + ".name", "missing");
        }
        for (String unsupported : List.of("efsVolumeConfiguration", "fsxWindowsFileServerVolumeConfiguration")) {
            if (v.has(unsupported)) {
                problems.add(at + " (" + name + ")." + unsupported,
                        "not supported locally (only host.sourcePath bind mounts and task-scoped volumes are)");
            }
        }
        if (v.path("configuredAtLaunch").asBoolean(false)) {
            problems.add(at + " (" + name + ").configuredAtLaunch", "not supported locally (EBS volumes)");
        }
        String source = v.has("host") ? text(v.get("host"), "sourcePath", at + ".host") : null;
        return new Volume(name == null ? "" : name, source);
    }

    private ContainerDefinition container(JsonNode c, int index) {
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
        for (JsonNode e : array(c, "environment", at)) {
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
        for (JsonNode e : array(c, "environmentFiles", at)) {
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
        for (JsonNode s : array(c, "secrets", at)) {
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
        for (JsonNode pm : array(c, "portMappings", at)) {
            String p = at + ".portMappings[" + i++ + "]";
            if (pm.has("containerPortRange")) {
                problems.add(p + ".containerPortRange", "not supported locally (use containerPort)");
                continue;
            }
            int cp = intValue(pm, "containerPort", p);
            Integer hp = pm.has("hostPort") ? intValue(pm, "hostPort", p) : null;
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
        for (JsonNode m : array(c, "mountPoints", at)) {
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
        for (JsonNode m : array(c, "volumesFrom", at)) {
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
        for (JsonNode d : array(c, "dependsOn", at)) {
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
        JsonNode lp = c.get("linuxParameters");
        if (lp != null && lp.isObject()) {
            String p = at + ".linuxParameters";
            JsonNode caps = lp.get("capabilities");
            if (caps != null) {
                add.addAll(strings(caps, "add", p + ".capabilities"));
                drop.addAll(strings(caps, "drop", p + ".capabilities"));
            }
            init = bool(lp, "initProcessEnabled", p, false);
            for (String unsupported : List.of("devices", "tmpfs", "sharedMemorySize", "maxSwap", "swappiness")) {
                if (lp.has(unsupported) && !lp.get(unsupported).isNull()) {
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
                c.has("stopTimeout") ? rangedInt(c, "stopTimeout", at, 2, 120) : null,
                c.has("startTimeout") ? rangedInt(c, "startTimeout", at, 2, 600) : null,
                c.has("memory") ? rangedInt(c, "memory", at, 6, Integer.MAX_VALUE) : null);
    }

    private HealthCheck healthCheck(JsonNode c, String at) {
        JsonNode h = c.get("healthCheck");
        if (h == null || h.isNull()) {
            return null;
        }
        String p = at + ".healthCheck";
        List<String> cmd = strings(h, "command", p);
        if (cmd.size() < 2 || !(cmd.getFirst().equals("CMD") || cmd.getFirst().equals("CMD-SHELL"))) {
            problems.add(p + ".command", "expected [\"CMD\", exe, args...] or [\"CMD-SHELL\", \"shell command\"]");
        }
        return new HealthCheck(cmd,
                h.has("interval") ? rangedInt(h, "interval", p, 5, 300) : 30,
                h.has("timeout") ? rangedInt(h, "timeout", p, 2, 60) : 5,
                h.has("retries") ? rangedInt(h, "retries", p, 1, 10) : 3,
                h.has("startPeriod") ? rangedInt(h, "startPeriod", p, 0, 300) : 0);
    }

    // --- small typed accessors that record a problem instead of throwing ---

    private String text(JsonNode node, String field, String at) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            problems.add(join(at, field), "expected a string");
            return null;
        }
        return v.asText();
    }

    private static String scalar(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private int intValue(JsonNode node, String field, String at) {
        JsonNode v = node.get(field);
        if (v != null && v.canConvertToInt()) {
            return v.asInt();
        }
        if (v != null && v.isTextual() && v.asText().matches("\\d{1,9}")) {
            return Integer.parseInt(v.asText());
        }
        problems.add(join(at, field), v == null ? "missing (expected a number)" : "expected a number, got " + v);
        return 0;
    }

    private int rangedInt(JsonNode node, String field, String at, int min, int max) {
        int v = intValue(node, field, at);
        if (v < min || v > max) {
            problems.add(join(at, field), v + " is out of range (ECS allows " + min + ".."
                    + (max == Integer.MAX_VALUE ? "" : max) + ")");
        }
        return v;
    }

    private boolean bool(JsonNode node, String field, String at, boolean dflt) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            problems.add(join(at, field), "expected true or false, got " + v);
            return dflt;
        }
        return v.asBoolean();
    }

    private List<String> strings(JsonNode node, String field, String at) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (!v.isArray()) {
            problems.add(join(at, field), "expected an array of strings");
            return List.of();
        }
        for (JsonNode s : v) {
            if (!s.isValueNode()) {
                problems.add(join(at, field), "expected an array of strings");
                return List.of();
            }
            out.add(s.asText());
        }
        return List.copyOf(out);
    }

    private Iterable<JsonNode> array(JsonNode node, String field, String at) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            problems.add(join(at, field), "expected an array");
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        int i = 0;
        for (JsonNode e : v) {
            if (!e.isObject()) {
                problems.add(join(at, field) + "[" + i + "]", "expected an object");
            } else {
                out.add(e);
            }
            i++;
        }
        return out;
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
