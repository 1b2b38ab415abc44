package dev.ward.api;

import dev.ward.api.telemetry.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who this agent protects: the container name policies select on ({@code kubearmor.io/container.name}),
 * the host name, the labels reported with every event and, on Kubernetes, the pod.
 *
 * @param hostName      the task's hostname (on Fargate, the task's ENI name; in a pod, the pod's name)
 * @param containerName from --container-name, else CONTAINERNAME (KubeArmor's ECS variable), else the hostname
 * @param labels        label map: the pod's labels (on Kubernetes), --label, {@code kubearmor.io/container.name}
 * @param pod           the pod from the downward API ({@link PodInfo#NONE} outside Kubernetes)
 */
public record Identity(String hostName, String containerName, Map<String, String> labels, PodInfo pod) {
    public static final String CONTAINER_NAME_LABEL = "kubearmor.io/container.name";

    public Identity(String hostName, String containerName, Map<String, String> labels) {
        this(hostName, containerName, labels, PodInfo.NONE);
    }

    /**
     * The identity {@code env} describes. On Kubernetes the pod's labels come first, --label values override them.
     * A downward API labels file that cannot be parsed is an {@link IllegalArgumentException} naming file and line.
     */
    public static Identity of(String containerName, Map<String, String> extraLabels, Map<String, String> env) {
        String host = hostName(env);
        String name = containerName != null && !containerName.isBlank() ? containerName
                : env.getOrDefault("CONTAINERNAME", host);
        PodInfo pod = PodInfo.of(env);
        Map<String, String> labels = new LinkedHashMap<>(pod.labels());
        labels.putAll(extraLabels);
        labels.put(CONTAINER_NAME_LABEL, name);
        return new Identity(host, name, Map.copyOf(labels), pod);
    }

    /** The labels as KubeArmor prints them: {@code k=v,k=v}, sorted for stable output. */
    public String labelString() {
        return labelString(labels);
    }

    /**
     * What every event carries, with the task's identity when {@code ecs} is not null: NamespaceName is the pod's
     * namespace, on ECS the cluster's name (ECS's nearest equivalent); PodName the pod's; ContainerID the Docker ID
     * ECS gives, else the pod's container ID; ContainerImage the image with its digest; Labels these labels plus,
     * on ECS, ecs.cluster, ecs.task-family, ecs.task-revision, ecs.task-arn and ecs.availability-zone.
     */
    public Workload workload(EcsTask ecs) {
        if (ecs == null) {
            return Workload.of(hostName, pod.namespace(), pod.name(), labelString(), pod.containerId(), containerName,
                    pod.containerImage());
        }
        Map<String, String> all = new TreeMap<>(ecs.labels());
        all.putAll(labels);
        return Workload.of(hostName, pod.present() ? pod.namespace() : ecs.cluster(), pod.name(), labelString(all),
                ecs.dockerId().isEmpty() ? pod.containerId() : ecs.dockerId(), containerName,
                ecs.imageWithDigest().isEmpty() ? pod.containerImage() : ecs.imageWithDigest());
    }

    /** A loop, not a stream: the agent's start calls this, and a comparator lambda there is generated at run time. */
    private static String labelString(Map<String, String> labels) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(e.getKey()).append('=').append(e.getValue());
        }
        return out.toString();
    }

    private static String hostName(Map<String, String> env) {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return env.getOrDefault("HOSTNAME", "localhost");
        }
    }
}
