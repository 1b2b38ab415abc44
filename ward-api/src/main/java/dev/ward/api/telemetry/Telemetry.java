package dev.ward.api.telemetry;

import java.util.List;

/**
 * One alert or log, with KubeArmor's field names. Filled by the tracer thread, then handed to the agent's
 * exporter: once offered, the exporter owns it and nobody else may touch it; a {@link Sink} sees it on the
 * exporter's thread only.
 *
 * <p>Type is {@code MatchedPolicy} for alerts (PolicyName {@code DefaultPosture} when no rule but the
 * container's default posture decided) and {@code ContainerLog} for logs of unmatched events.
 */
public final class Telemetry {
    public static final String TYPE_ALERT = "MatchedPolicy";
    public static final String TYPE_LOG = "ContainerLog";

    public long timestampNanos;
    public String type;
    /**
     * Where it happened (host, namespace, pod, labels, container ID, name and image), shared by every event of the
     * same identity; when set, the sinks take those fields from it and ignore hostName, containerName and labels.
     */
    public Workload workload;
    public String hostName;
    public String containerName;
    public String labels;
    public int ppid;
    public int pid;
    public int tid;
    public int uid;
    public String parentProcessName;
    public String processName;
    public String policyName;
    public String severity;
    public String tags;
    public List<String> atags;
    public String message;
    public String source;
    public String operation;
    public String resource;
    public String data;
    public String enforcer;
    public String action;
    public String result;
    public String cwd;
    /** The name of {@link #uid} in the container's /etc/passwd; null when it has none. */
    public String userName;

    public boolean isAlert() {
        return TYPE_ALERT.equals(type);
    }
}
