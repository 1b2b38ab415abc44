package dev.ward.relay.client;

import dev.ward.api.telemetry.Telemetry;
import dev.ward.api.telemetry.Workload;
import dev.ward.relay.api.Event;
import dev.ward.relay.api.feeder.Alert;
import dev.ward.relay.api.feeder.Log;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Telemetry (the agent's event) to the relay's wire form: KubeArmor's Alert or Log, every field the agent
 * knows in its upstream place (Cwd, UserName; KubeArmorVersion is the agent's, "ward VERSION", since that is
 * what produced the event), the workload's identity (NamespaceName, PodName, ContainerID, ContainerImage, Labels)
 * from {@link Workload}. What the agent cannot know stays empty: Owner (no pod owner on ECS), TTY,
 * ExecEvent, the hashes, NodeID, EventData. The TID has no KubeArmor field and travels in {@code Event.tid}.
 */
final class TelemetryProtos {
    private static final String VERSION = "ward " + dev.ward.api.WardVersion.version();

    private static final DateTimeFormatter UPDATED_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private TelemetryProtos() {
    }

    static Event toEvent(Telemetry t) {
        long seconds = t.timestampNanos / 1_000_000_000L;
        String updated = UPDATED_TIME.format(Instant.ofEpochSecond(0, t.timestampNanos));
        Event.Builder e = Event.newBuilder().setTimestampNanos(t.timestampNanos).setTid(t.tid);
        if (t.cwd != null) e.setCwd(t.cwd); // for relays older than Alert.Cwd / Log.Cwd
        if (t.isAlert()) {
            Alert.Builder a = Alert.newBuilder().setTimestamp(seconds).setUpdatedTime(updated)
                    .setHostPPID(t.ppid).setHostPID(t.pid).setPPID(t.ppid).setPID(t.pid).setUID(t.uid)
                    .setKubeArmorVersion(VERSION);
            if (t.cwd != null) a.setCwd(t.cwd);
            if (t.userName != null) a.setUserName(t.userName);
            Workload w = t.workload;
            if (w != null) { // strings built once per identity: the builder keeps the references
                a.setHostName(w.hostName).setNamespaceName(w.namespaceName).setPodName(w.podName)
                        .setLabels(w.labels).setContainerID(w.containerId).setContainerName(w.containerName)
                        .setContainerImage(w.containerImage);
            } else {
                if (t.hostName != null) a.setHostName(t.hostName);
                if (t.containerName != null) a.setContainerName(t.containerName);
                if (t.labels != null) a.setLabels(t.labels);
            }
            if (t.parentProcessName != null) a.setParentProcessName(t.parentProcessName);
            if (t.processName != null) a.setProcessName(t.processName);
            if (t.policyName != null) a.setPolicyName(t.policyName);
            if (t.severity != null) a.setSeverity(t.severity);
            if (t.tags != null) a.setTags(t.tags);
            if (t.atags != null) a.addAllATags(t.atags);
            if (t.message != null) a.setMessage(t.message);
            if (t.type != null) a.setType(t.type);
            if (t.source != null) a.setSource(t.source);
            if (t.operation != null) a.setOperation(t.operation);
            if (t.resource != null) a.setResource(t.resource);
            if (t.data != null) a.setData(t.data);
            if (t.enforcer != null) a.setEnforcer(t.enforcer);
            if (t.action != null) a.setAction(t.action);
            if (t.result != null) a.setResult(t.result);
            return e.setAlert(a).build();
        }
        Log.Builder l = Log.newBuilder().setTimestamp(seconds).setUpdatedTime(updated)
                .setHostPPID(t.ppid).setHostPID(t.pid).setPPID(t.ppid).setPID(t.pid).setUID(t.uid);
        if (t.cwd != null) l.setCwd(t.cwd);
        if (t.userName != null) l.setUserName(t.userName);
        Workload w = t.workload;
        if (w != null) {
            l.setHostName(w.hostName).setNamespaceName(w.namespaceName).setPodName(w.podName).setLabels(w.labels)
                    .setContainerID(w.containerId).setContainerName(w.containerName)
                    .setContainerImage(w.containerImage);
        } else {
            if (t.hostName != null) l.setHostName(t.hostName);
            if (t.containerName != null) l.setContainerName(t.containerName);
            if (t.labels != null) l.setLabels(t.labels);
        }
        if (t.parentProcessName != null) l.setParentProcessName(t.parentProcessName);
        if (t.processName != null) l.setProcessName(t.processName);
        if (t.type != null) l.setType(t.type);
        if (t.source != null) l.setSource(t.source);
        if (t.operation != null) l.setOperation(t.operation);
        if (t.resource != null) l.setResource(t.resource);
        if (t.data != null) l.setData(t.data);
        if (t.result != null) l.setResult(t.result);
        return e.setLog(l).build();
    }
}
