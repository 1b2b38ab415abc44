package dev.ward.policy.istio;

import java.util.Map;
import java.util.Objects;

/**
 * The workload policies are selected for (the destination for inbound policies, the source for egress ones): its mesh namespace (the namespace of its SPIFFE ID), its
 * labels (Ward's: container name, family, service, cluster, {@code --label}) and its service name, which
 * {@code targetRefs} of kind Service name.
 */
public record Workload(String namespace, Map<String, String> labels, String service) {
    public Workload {
        Objects.requireNonNull(namespace, "namespace");
        labels = Map.copyOf(labels == null ? Map.of() : labels);
    }
}
