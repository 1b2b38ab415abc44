package dev.ward.local;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.local.ContainerStatus.State;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.TaskDef;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;

/**
 * Task metadata v4 JSON with the field names ECS documents for Fargate (Cluster, TaskARN, Family, Revision,
 * DesiredStatus, KnownStatus, Limits, PullStartedAt, PullStoppedAt, AvailabilityZone, LaunchType,
 * Containers; per container DockerId, Name, DockerName, Image, ImageID, Labels, DesiredStatus, KnownStatus,
 * Limits, CreatedAt, StartedAt, FinishedAt, ExitCode, Type, ContainerARN, Health, Networks). Values that
 * only exist on AWS are local stand-ins: account 000000000000, cluster ward-local, slirp4netns addresses
 * (on a {@code --network} bridge, the pod's own address, subnet and gateway).
 */
final class MetadataJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private MetadataJson() {}

    static String clusterArn(String region) {
        return "arn:aws:ecs:" + region + ":000000000000:cluster/ward-local";
    }

    static ObjectNode task(PodmanPlan plan, Collection<ContainerRun> runs, boolean stopping, Instant created) {
        TaskDef def = plan.def;
        ObjectNode t = F.objectNode();
        t.put("Cluster", clusterArn(plan.options.region));
        t.put("TaskARN", plan.taskArn());
        t.put("Family", def.label());
        t.put("Revision", Integer.toString(def.revisionNumber()));
        t.put("DesiredStatus", stopping ? "STOPPED" : "RUNNING");
        boolean allStopped = runs.stream().allMatch(r -> r.state == State.STOPPED || r.state == State.NEVER_STARTED);
        boolean anyRunning = runs.stream().anyMatch(r -> r.state == State.RUNNING);
        t.put("KnownStatus", allStopped ? "STOPPED" : anyRunning ? "RUNNING" : "PENDING");
        ObjectNode limits = t.putObject("Limits");
        Double cpu = vcpus(Values.text(def.cpu()));
        if (cpu != null) {
            limits.put("CPU", cpu);
        }
        Integer mem = mebibytes(Values.text(def.memory()));
        if (mem != null) {
            limits.put("Memory", mem);
        }
        t.put("PullStartedAt", created.toString());
        t.put("PullStoppedAt", created.toString());
        t.put("AvailabilityZone", plan.options.region + "a");
        t.put("LaunchType", "FARGATE");
        var containers = t.putArray("Containers");
        for (ContainerRun r : runs) {
            containers.add(container(plan, r, stopping));
        }
        ObjectNode drift = t.putObject("ClockDrift");
        drift.put("ClockErrorBound", 0.0);
        drift.put("ReferenceTimestamp", Instant.now().toString());
        drift.put("ClockSynchronizationStatus", "SYNCHRONIZED");
        ObjectNode storage = t.putObject("EphemeralStorageMetrics");
        storage.put("Utilized", 0);
        storage.put("Reserved", 20496);
        return t;
    }

    static ObjectNode container(PodmanPlan plan, ContainerRun r, boolean stopping) {
        Container c = r.def;
        ObjectNode o = F.objectNode();
        o.put("DockerId", r.id);
        o.put("Name", c.name());
        o.put("DockerName", r.podmanName);
        o.put("Image", Values.image(c));
        // ECS writes the digest with its algorithm (sha256:...); podman's inspect gives the bare hex
        o.put("ImageID", r.imageId.isEmpty() || r.imageId.contains(":") ? r.imageId : "sha256:" + r.imageId);
        ObjectNode labels = o.putObject("Labels");
        labels.put("com.amazonaws.ecs.cluster", clusterArn(plan.options.region));
        labels.put("com.amazonaws.ecs.container-name", c.name());
        labels.put("com.amazonaws.ecs.task-arn", plan.taskArn());
        labels.put("com.amazonaws.ecs.task-definition-family", plan.def.label());
        labels.put("com.amazonaws.ecs.task-definition-version", Integer.toString(plan.def.revisionNumber()));
        o.put("DesiredStatus", stopping || r.state == State.STOPPED ? "STOPPED" : "RUNNING");
        o.put("KnownStatus", switch (r.state) {
            case PENDING -> "PENDING";
            case RUNNING -> "RUNNING";
            case STOPPED, NEVER_STARTED -> "STOPPED";
        });
        ObjectNode limits = o.putObject("Limits");
        limits.put("CPU", 0);
        Integer memory = Values.number(c.memory());
        if (memory != null) {
            limits.put("Memory", memory);
        }
        if (r.createdAt != null) {
            o.put("CreatedAt", r.createdAt.toString());
        }
        if (r.startedAt != null) {
            o.put("StartedAt", r.startedAt.toString());
        }
        if (r.finishedAt != null) {
            o.put("FinishedAt", r.finishedAt.toString());
        }
        if (r.exitCode != null) {
            o.put("ExitCode", r.exitCode);
        }
        o.put("Type", "NORMAL");
        o.put("ContainerARN", "arn:aws:ecs:" + plan.options.region + ":000000000000:container/ward-local/"
                + plan.taskId + "/" + r.token);
        if (r.health != null) {
            ObjectNode h = o.putObject("Health");
            h.put("status", switch (r.health) {
                case "healthy" -> "HEALTHY";
                case "unhealthy" -> "UNHEALTHY";
                default -> "UNKNOWN";
            });
            if (r.healthSince != null) {
                h.put("statusSince", r.healthSince.toString());
            }
        }
        var net = o.putArray("Networks").addObject();
        net.put("NetworkMode", "awsvpc");
        LocalNetwork bridge = plan.network;
        String address = plan.address;
        if (bridge == null || address != null) {
            net.putArray("IPv4Addresses").add(bridge == null ? "10.0.2.100" : address);
        }
        net.put("AttachmentIndex", 0);
        net.put("IPv4SubnetCIDRBlock", bridge == null ? "10.0.2.0/24" : bridge.subnet());
        net.put("PrivateDNSName", plan.podName);
        net.put("SubnetGatewayIpv4Address", bridge == null ? "10.0.2.2/24"
                : bridge.gateway() + bridge.subnet().substring(bridge.subnet().indexOf('/')));
        o.put("Snapshotter", "overlayfs");
        return o;
    }

    /** Task cpu: units ("256") or "0.25 vCPU" / "1 vcpu", as vCPUs. */
    static Double vcpus(String cpu) {
        if (cpu == null) {
            return null;
        }
        String s = cpu.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("vcpu")) {
                return Double.parseDouble(s.substring(0, s.length() - 4).strip());
            }
            return Double.parseDouble(s) / 1024.0;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Task memory: MiB ("512") or "1 GB" / "2gb", as MiB. */
    static Integer mebibytes(String memory) {
        if (memory == null) {
            return null;
        }
        String s = memory.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("gb")) {
                return (int) Math.round(Double.parseDouble(s.substring(0, s.length() - 2).strip()) * 1024);
            }
            return Integer.parseInt(s.endsWith("mb") ? s.substring(0, s.length() - 2).strip() : s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
