package dev.ward.policy;

import java.util.Map;
import java.util.Objects;

/**
 * Who the supervised workload is, as far as selectors are concerned.
 *
 * <p>{@code labels} holds every label Ward knows for the container (ECS task labels, Kubernetes pod labels) and
 * also {@code kubearmor.io/container.name}; when that key is missing it is added from {@code containerName}.
 * {@code namespace} is the pod's namespace on Kubernetes, "" where there is none (ECS): a policy with a
 * namespace then selects only pods of that namespace, as KubeArmor's do.
 *
 * <pre>{@code
 * var id = new ContainerIdentity("armored-container", Map.of("app", "shop"));
 * }</pre>
 */
public record ContainerIdentity(String containerName, Map<String, String> labels, String namespace) {
    public static final String CONTAINER_NAME_LABEL = "kubearmor.io/container.name";

    public ContainerIdentity {
        Objects.requireNonNull(containerName, "containerName");
        var copy = new java.util.TreeMap<String, String>(labels == null ? Map.of() : labels);
        copy.putIfAbsent(CONTAINER_NAME_LABEL, containerName);
        labels = java.util.Collections.unmodifiableMap(copy);
        namespace = namespace == null ? "" : namespace;
    }

    /** Outside Kubernetes: no namespace. */
    public ContainerIdentity(String containerName, Map<String, String> labels) {
        this(containerName, labels, "");
    }

    /** An identity with only the container name label. */
    public static ContainerIdentity named(String containerName) {
        return new ContainerIdentity(containerName, Map.of());
    }
}
