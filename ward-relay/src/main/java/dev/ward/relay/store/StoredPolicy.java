package dev.ward.relay.store;

/**
 * One policy as stored: its kind ({@link #KUBEARMOR} or {@link #AUTHORIZATION}), the YAML document it was applied
 * with, and the store version of its last change.
 */
public record StoredPolicy(String kind, String namespace, String name, String yaml, long version,
        long updatedMillis) {
    public static final String KUBEARMOR = "KubeArmorPolicy";
    public static final String AUTHORIZATION = "AuthorizationPolicy";

    /** "name" or "namespace/name", as the commands print a policy. */
    public String key() {
        return key(namespace, name);
    }

    public static String key(String namespace, String name) {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /** Unique over both kinds: {@link #key()} for a KubeArmorPolicy, "AuthorizationPolicy:namespace/name" else. */
    public String id() {
        return id(kind, namespace, name);
    }

    public static String id(String kind, String namespace, String name) {
        return kind.equals(KUBEARMOR) ? key(namespace, name) : kind + ":" + key(namespace, name);
    }
}
