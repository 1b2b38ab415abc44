package dev.ward.policy.istio;

/** Which policy took part in a decision, for alerts: {@code PolicyName} is {@code namespace/name}. */
public record PolicyRef(String namespace, String name, AuthzAction action, boolean dryRun) {
    public String id() {
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return id() + " (" + action + (dryRun ? ", dry-run" : "") + ")";
    }
}
