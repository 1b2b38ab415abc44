package dev.ward.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Who this agent protects: the container name policies select on ({@code kubearmor.io/container.name}),
 * the host name, and the labels reported with every event.
 *
 * @param hostName      the task's hostname (on Fargate, the task's ENI name)
 * @param containerName from --container-name, else CONTAINERNAME (KubeArmor's ECS variable), else the hostname
 * @param labels        label map, {@code kubearmor.io/container.name} included
 */
public record Identity(String hostName, String containerName, Map<String, String> labels) {
    public static final String CONTAINER_NAME_LABEL = "kubearmor.io/container.name";

    public static Identity of(String containerName, Map<String, String> extraLabels, Map<String, String> env) {
        String host = hostName(env);
        String name = containerName != null && !containerName.isBlank() ? containerName
                : env.getOrDefault("CONTAINERNAME", host);
        Map<String, String> labels = new LinkedHashMap<>(extraLabels);
        labels.put(CONTAINER_NAME_LABEL, name);
        return new Identity(host, name, Map.copyOf(labels));
    }

    /** The labels as KubeArmor prints them: {@code k=v,k=v}, sorted for stable output. */
    public String labelString() {
        return labels.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    private static String hostName(Map<String, String> env) {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return env.getOrDefault("HOSTNAME", "localhost");
        }
    }
}
