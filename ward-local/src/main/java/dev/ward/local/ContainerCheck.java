package dev.ward.local;

import dev.ward.taskdef.Container;
import dev.ward.taskdef.Container.Dependency;
import dev.ward.taskdef.Container.EnvironmentFile;
import dev.ward.taskdef.Container.HealthCheck;
import dev.ward.taskdef.Container.MountPoint;
import dev.ward.taskdef.Container.PortMapping;
import dev.ward.taskdef.Container.VolumeFrom;
import dev.ward.taskdef.EnvVar;
import dev.ward.taskdef.Loc;
import java.util.List;
import java.util.Optional;

/**
 * What ward local needs of one container definition to run it: the fields it uses have values it can use, and
 * those Fargate refuses are absent. Problems name the container by its index and name, and the field.
 */
final class ContainerCheck {
    private final Problems problems;
    private final FieldCheck fields;

    ContainerCheck(Problems problems, FieldCheck fields) {
        this.problems = problems;
        this.fields = fields;
    }

    void check(Container c) {
        String index = "containerDefinitions[" + c.index() + "]";
        String name = fields.text(c.nameField(), index, "name");
        String at = index + (name == null ? "" : " (" + name + ")");
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,255}")) {
            problems.add(at + ".name", name == null ? "missing"
                    : "\"" + name + "\" (expected letters, digits, hyphens and underscores)");
        }
        String image = fields.text(c.image(), at, "image");
        if (image == null || image.isBlank()) {
            problems.add(at + ".image", "missing");
        }
        environment(c, at);
        ports(c, at);
        mounts(c, at);
        dependencies(c, at);
        linux(c.linuxParameters(), at + ".linuxParameters");
        if (fields.bool(c.privileged(), at, "privileged", false)) {
            problems.add(at + ".privileged", "not supported on Fargate");
        }
        fields.strings(c.entryPoint(), at, "entryPoint");
        fields.strings(c.command(), at, "command");
        fields.text(c.user(), at, "user");
        fields.text(c.workingDirectory(), at, "workingDirectory");
        fields.bool(c.essential(), at, "essential", true);
        c.healthCheck().ifPresent(h -> healthCheck(h, at + ".healthCheck"));
        fields.bool(c.readonlyRootFilesystem(), at, "readonlyRootFilesystem", false);
        fields.optionalInt(c.stopTimeout(), at, "stopTimeout", 2, 120);
        fields.optionalInt(c.startTimeout(), at, "startTimeout", 2, 600);
        fields.optionalInt(c.memory(), at, "memory", 6, Integer.MAX_VALUE);
    }

    private void environment(Container c, String at) {
        int i = 0;
        for (EnvVar e : c.environment()) {
            String p = at + ".environment[" + i++ + "]";
            String n = fields.text(Optional.of(e.name()), p, "name");
            if (n == null || n.isEmpty()) {
                problems.add(p + ".name", "missing");
            } else {
                fields.text(e.value(), p, "value");
            }
        }
        i = 0;
        for (EnvironmentFile f : c.environmentFiles()) {
            String p = at + ".environmentFiles[" + i++ + "]";
            if (fields.text(f.value(), p, "value") == null) {
                problems.add(p + ".value", "missing");
            }
        }
        i = 0;
        for (EnvVar s : c.secrets()) {
            String p = at + ".secrets[" + i++ + "]";
            String n = fields.text(Optional.of(s.name()), p, "name");
            String from = fields.text(s.value(), p, "valueFrom");
            if (n == null || from == null) {
                problems.add(p, "needs both name and valueFrom");
            }
        }
    }

    private void ports(Container c, String at) {
        int i = 0;
        for (PortMapping pm : c.portMappings()) {
            String p = at + ".portMappings[" + i++ + "]";
            if (pm.containerPortRange().isPresent()) {
                problems.add(p + ".containerPortRange", "not supported locally (use containerPort)");
                continue;
            }
            int cp = fields.intValue(pm.containerPort(), p, "containerPort");
            if (pm.hostPort().isPresent()) {
                fields.intValue(pm.hostPort(), p, "hostPort");
            }
            String protocol = fields.text(pm.protocol(), p, "protocol");
            if (cp < 1 || cp > 65535) {
                problems.add(p + ".containerPort", cp + " (expected 1..65535)");
            } else if (protocol != null && !pm.protocolName().equals("tcp") && !pm.protocolName().equals("udp")) {
                problems.add(p + ".protocol", "\"" + pm.protocolName() + "\" (expected tcp or udp)");
            }
        }
    }

    private void mounts(Container c, String at) {
        int i = 0;
        for (MountPoint m : c.mountPoints()) {
            String p = at + ".mountPoints[" + i++ + "]";
            String src = fields.text(m.sourceVolume(), p, "sourceVolume");
            String path = fields.text(m.containerPath(), p, "containerPath");
            if (src == null || path == null || !path.startsWith("/")) {
                problems.add(p, "needs sourceVolume and an absolute containerPath");
            } else {
                fields.bool(m.readOnly(), p, "readOnly", false);
            }
        }
        i = 0;
        for (VolumeFrom v : c.volumesFrom()) {
            String p = at + ".volumesFrom[" + i++ + "]";
            if (fields.text(v.sourceContainer(), p, "sourceContainer") == null) {
                problems.add(p + ".sourceContainer", "missing");
            } else {
                fields.bool(v.readOnly(), p, "readOnly", false);
            }
        }
    }

    private void dependencies(Container c, String at) {
        int i = 0;
        for (Dependency d : c.dependsOn()) {
            String p = at + ".dependsOn[" + i++ + "]";
            String dep = fields.text(d.containerName(), p, "containerName");
            String cond = fields.text(d.condition(), p, "condition");
            if (dep == null) {
                problems.add(p + ".containerName", "missing");
            } else if (d.knownCondition().isEmpty()) {
                problems.add(p + ".condition", (cond == null ? "missing" : "\"" + cond + "\"")
                        + " (expected START, COMPLETE, SUCCESS or HEALTHY)");
            }
        }
    }

    private void linux(Container.LinuxParameters lp, String p) {
        fields.strings(lp.capabilitiesAdd(), p + ".capabilities", "add");
        fields.strings(lp.capabilitiesDrop(), p + ".capabilities", "drop");
        fields.bool(lp.initProcessEnabled(), p, "initProcessEnabled", false);
        for (Loc unsupported : lp.notOnFargate()) {
            String path = unsupported.path();
            problems.add(p + "." + path.substring(path.lastIndexOf('.') + 1), "not supported on Fargate");
        }
    }

    private void healthCheck(HealthCheck h, String p) {
        List<String> cmd = fields.strings(h.command(), p, "command");
        if (cmd.size() < 2 || !(cmd.getFirst().equals("CMD") || cmd.getFirst().equals("CMD-SHELL"))) {
            problems.add(p + ".command", "expected [\"CMD\", exe, args...] or [\"CMD-SHELL\", \"shell command\"]");
        }
        fields.optionalInt(h.interval(), p, "interval", 5, 300);
        fields.optionalInt(h.timeout(), p, "timeout", 2, 60);
        fields.optionalInt(h.retries(), p, "retries", 1, 10);
        fields.optionalInt(h.startPeriod(), p, "startPeriod", 0, 300);
    }
}
