package dev.ward.relay.store;

/** One policy as stored: the YAML document it was applied with, and the store version of its last change. */
public record StoredPolicy(String namespace, String name, String yaml, long version, long updatedMillis) {
    /** "name" or "namespace/name". */
    public String key() {
        return key(namespace, name);
    }

    public static String key(String namespace, String name) {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }
}
