package dev.ward.policy.istio;

/**
 * One {@code spec.targetRefs} entry. In Istio it attaches a policy to a waypoint or gateway; Ward has neither, and
 * maps {@code kind: Service} (group "") to the workloads whose Ward service name is {@code name}. Other kinds select
 * nothing (the linter warns).
 */
public record TargetRef(String group, String kind, String name) {
    public boolean isService() {
        return "Service".equals(kind) && (group == null || group.isEmpty());
    }
}
