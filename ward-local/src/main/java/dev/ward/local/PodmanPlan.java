package dev.ward.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.Container.HealthCheck;
import dev.ward.taskdef.Container.MountPoint;
import dev.ward.taskdef.Container.PortMapping;
import dev.ward.taskdef.Container.VolumeFrom;
import dev.ward.taskdef.EnvVar;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.TaskDef;
import dev.ward.taskdef.Volume;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Translates a task definition into podman arguments: one pod (one network namespace, like awsvpc; and one
 * pid namespace with {@code pidMode: task}) and one {@code podman create} per container. Pure: it runs
 * nothing, so the translation is unit-tested field by field.
 */
final class PodmanPlan {
    /** Capabilities a Fargate container has by default (Docker's default set). */
    static final List<String> FARGATE_DEFAULT_CAPS = List.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID",
            "SYS_CHROOT");
    static final int DEFAULT_STOP_TIMEOUT = 30;
    /** The host's loopback as containers see it with slirp4netns {@code allow_host_loopback}. */
    static final String HOST_FROM_CONTAINER = "10.0.2.2";
    private static final ObjectMapper JSON = new ObjectMapper();

    final TaskDef def;
    final String taskId;
    final String podName;
    final LocalOptions options;
    final Map<String, Integer> stopLevels;
    /** The bridge network the pod joins ({@code --network}), or null for its own slirp4netns network. */
    final LocalNetwork network;
    /** The pod's address on {@link #network}, once podman has one (it exists when the pod runs). */
    volatile String address;

    PodmanPlan(TaskDef def, String taskId, LocalOptions options) {
        this(def, taskId, options, null);
    }

    PodmanPlan(TaskDef def, String taskId, LocalOptions options, LocalNetwork network) {
        this.network = network;
        this.def = def;
        this.taskId = taskId;
        this.options = options;
        this.podName = "ward-" + sanitize(def.label()) + "-" + taskId.substring(0, 8);
        this.stopLevels = TaskGraph.stopLevels(def);
    }

    /** The host's address as the containers see it. */
    String hostFromContainer() {
        return network != null ? network.gateway() : HOST_FROM_CONTAINER;
    }

    String containerName(String name) {
        return podName + "-" + name;
    }

    String volumeName(String volume) {
        return "ward-" + taskId.substring(0, 12) + "-" + sanitize(volume);
    }

    String secretName(String container, String variable) {
        // podman allows 64 characters: prefix (12) + task id (32) + '-' + 12 hex digits of the container and
        // variable names. ward local stop removes a task's secrets by the prefix and the task id.
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest((container + "\0" + variable)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Labels.SECRET_PREFIX + taskId + "-" + java.util.HexFormat.of().formatHex(h, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String taskArn() {
        return "arn:aws:ecs:" + options.region + ":000000000000:task/ward-local/" + taskId;
    }

    int stopTimeout(Container c) {
        int t = c.stopTimeout().flatMap(Field::integer).orElse(DEFAULT_STOP_TIMEOUT);
        Duration cap = options.maxStopTimeout;
        return cap == null ? t : (int) Math.min(t, Math.max(0, cap.toSeconds()));
    }

    /** {@code podman pod create} arguments. */
    List<String> podCreate(long supervisorPid) {
        List<String> a = new ArrayList<>(List.of("pod", "create", "--name", podName,
                // slirp4netns: no bridge on a private range; the host's 127.0.0.1 is 10.0.2.2 inside, and
                // published ports bind 127.0.0.1 on the host only.
                "--network", network != null ? network.name() : "slirp4netns:allow_host_loopback=true",
                "--share", def.sharedPid() ? "ipc,net,uts,pid" : "ipc,net,uts",
                "--label", Labels.TASK + "=" + taskId,
                "--label", Labels.FAMILY + "=" + def.label(),
                "--label", Labels.REVISION + "=" + def.revisionNumber(),
                "--label", Labels.SUPERVISOR + "=" + supervisorPid));
        Map<String, Container> seen = new LinkedHashMap<>();
        for (Container c : def.containers()) {
            int i = 0;
            for (PortMapping p : c.portMappings()) {
                int port = Values.number(p.containerPort());
                Integer hostPort = Values.number(p.hostPort());
                String key = port + "/" + p.protocolName();
                Container other = seen.put(key, c);
                if (other != null && other != c) {
                    throw new LocalException.BadInput("container \"" + c.name() + "\": portMappings[" + i
                            + "]: port " + key + " is also mapped by \"" + other.name()
                            + "\" (containers of a task share one network namespace)");
                }
                Integer host = options.hostPorts.get(port);
                if (host == null && !options.randomHostPorts) {
                    host = hostPort == null || hostPort == 0 ? port : hostPort;
                }
                a.add("--publish");
                a.add("127.0.0.1:" + (host == null ? "" : host) + ":" + port + "/" + p.protocolName());
                i++;
            }
        }
        return a;
    }

    /**
     * {@code podman create} arguments for {@code c}.
     *
     * @param metadataUri the container's ECS_CONTAINER_METADATA_URI_V4
     * @param envFiles local files for its environmentFiles, in order
     */
    List<String> containerCreate(Container c, String metadataUri, List<Path> envFiles) {
        List<String> a = new ArrayList<>(List.of("create", "--pod", podName, "--name", containerName(c.name()),
                "--pull", options.pull, "--log-driver", "k8s-file",
                "--label", Labels.TASK + "=" + taskId,
                "--label", Labels.CONTAINER + "=" + c.name(),
                "--label", Labels.ESSENTIAL + "=" + c.isEssential(),
                "--label", Labels.STOP_LEVEL + "=" + stopLevels.getOrDefault(c.name(), 0),
                "--label", Labels.STOP_TIMEOUT + "=" + stopTimeout(c),
                "--label", "com.amazonaws.ecs.container-name=" + c.name(),
                "--label", "com.amazonaws.ecs.task-arn=" + taskArn(),
                "--label", "com.amazonaws.ecs.task-definition-family=" + def.label(),
                "--label", "com.amazonaws.ecs.task-definition-version=" + def.revisionNumber(),
                "--stop-timeout", Integer.toString(stopTimeout(c))));
        if (InsecureRegistries.insecure(Values.image(c), options.insecureRegistries)) {
            a.add("--tls-verify=false"); // a loopback registry speaks plain HTTP, as Ward's own commands assume
        }
        a.add("--cap-drop=all");
        Set<String> caps = capabilities(c);
        if (!caps.isEmpty()) {
            a.add("--cap-add=" + String.join(",", caps));
        }
        if (Values.flag(c.linuxParameters().initProcessEnabled(), false)) {
            a.add("--init");
        }
        if (Values.flag(c.readonlyRootFilesystem(), false)) {
            // ECS adds no writable tmpfs on a read-only root: neither do we.
            a.add("--read-only");
            a.add("--read-only-tmpfs=false");
        }
        c.user().flatMap(Field::literal).ifPresent(u -> a.add("--user=" + u));
        c.workingDirectory().flatMap(Field::literal).ifPresent(w -> a.add("--workdir=" + w));
        c.memory().flatMap(Field::integer).ifPresent(m -> a.add("--memory=" + m + "m"));
        if (!c.entryPoint().isEmpty()) {
            a.add("--entrypoint=" + json(Values.strings(c.entryPoint())));
        }
        for (Path f : envFiles) {
            a.add("--env-file=" + f);
        }
        for (var e : Values.environment(c).entrySet()) {
            a.add("--env=" + e.getKey() + "=" + e.getValue());
        }
        // What the ECS agent injects; it wins over the task definition's values, as on ECS.
        a.add("--env=ECS_CONTAINER_METADATA_URI_V4=" + metadataUri);
        a.add("--env=ECS_CONTAINER_METADATA_URI=" + metadataUri);
        a.add("--env=AWS_EXECUTION_ENV=AWS_ECS_FARGATE");
        a.add("--env=AWS_REGION=" + options.region);
        a.add("--env=AWS_DEFAULT_REGION=" + options.region);
        for (EnvVar s : c.secrets()) {
            a.add("--secret=" + secretName(c.name(), s.name().text()) + ",type=env,target=" + s.name().text());
        }
        for (MountPoint m : c.mountPoints()) {
            Volume v = def.volume(Values.text(m.sourceVolume())).orElseThrow();
            String source = v.hostSourcePath().flatMap(Field::literal).orElse(volumeName(v.name()));
            a.add("--volume=" + source + ":" + Values.text(m.containerPath()) + (Values.flag(m.readOnly(), false) ? ":ro" : ""));
        }
        for (VolumeFrom v : c.volumesFrom()) {
            a.add("--volumes-from=" + containerName(Values.text(v.sourceContainer()))
                    + (Values.flag(v.readOnly(), false) ? ":ro" : ":rw"));
        }
        if (c.healthCheck().isPresent()) {
            HealthCheck h = c.healthCheck().get();
            // Podman 4.3 schedules checks with systemd timers, which this host may not have: Ward runs
            // `podman healthcheck run` itself every interval, podman keeps the status and the streak.
            a.addAll(List.of("--health-cmd=" + healthCmd(Values.strings(h.command())), "--health-interval=disable",
                    "--health-timeout=" + h.timeoutSeconds() + "s", "--health-retries=" + h.retryCount(),
                    "--health-start-period=" + h.startPeriodSeconds() + "s"));
        }
        a.add(Values.image(c));
        a.addAll(Values.strings(c.command()));
        return a;
    }

    /**
     * The healthCheck command as podman 4.3's {@code --health-cmd} understands it: a JSON array whose first
     * word is not CMD becomes an exec check (podman adds CMD); {@code ["CMD-SHELL", "..."]} stays a shell
     * check. Podman cannot take a one-word exec check from its command line (it turns a one-element array
     * into a shell check), so {@code ["CMD", "/probe"]} runs as {@code /bin/sh -c /probe}.
     */
    static String healthCmd(List<String> command) {
        if (command.getFirst().equals("CMD-SHELL")) {
            return json(List.of("CMD-SHELL", String.join(" ", command.subList(1, command.size()))));
        }
        List<String> argv = command.subList(1, command.size());
        if (argv.size() == 1) {
            return json(List.of("CMD-SHELL", argv.getFirst()));
        }
        return json(argv);
    }

    /** Fargate's defaults, plus add, minus drop ({@code ALL} drops the defaults). */
    static Set<String> capabilities(Container c) {
        Set<String> drop = new LinkedHashSet<>();
        Values.strings(c.linuxParameters().capabilitiesDrop()).forEach(x -> drop.add(cap(x)));
        Set<String> caps = new LinkedHashSet<>();
        if (!drop.contains("ALL")) {
            caps.addAll(FARGATE_DEFAULT_CAPS);
        }
        int i = 0;
        for (String x : Values.strings(c.capabilitiesAdd())) {
            String cap = cap(x);
            if (!cap.equals("SYS_PTRACE")) {
                throw new LocalException.BadInput("container \"" + c.name() + "\": linuxParameters.capabilities.add[" + i
                        + "]: " + x + " (Fargate only lets you add SYS_PTRACE)");
            }
            caps.add(cap);
            i++;
        }
        caps.removeAll(drop);
        return caps;
    }

    private static String cap(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return n.startsWith("CAP_") ? n.substring(4) : n;
    }

    static String sanitize(String s) {
        String out = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
        return out.isEmpty() ? "x" : out;
    }

    private static String json(List<String> list) {
        try {
            return JSON.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
