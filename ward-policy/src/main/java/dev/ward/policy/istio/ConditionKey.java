package dev.ward.policy.istio;

/**
 * The {@code when[].key} attributes Ward evaluates, and whether each needs HTTP. {@code source.process} is Ward's
 * own, for egress policies only: the executable that opened the connection (KubeArmor's {@code fromSource}).
 */
public enum ConditionKey {
    SOURCE_IP("source.ip", false),
    SOURCE_NAMESPACE("source.namespace", false),
    SOURCE_PRINCIPAL("source.principal", false),
    DESTINATION_IP("destination.ip", false),
    DESTINATION_PORT("destination.port", false),
    REQUEST_HEADERS("request.headers[NAME]", true),
    SOURCE_PROCESS("source.process", false);

    private final String key;
    private final boolean l7;

    ConditionKey(String key, boolean l7) {
        this.key = key;
        this.l7 = l7;
    }

    public String key() {
        return key;
    }

    public boolean l7() {
        return l7;
    }

    /** The key of {@code text}, or null when Ward does not evaluate it; {@code request.headers[X]} for any X. */
    public static ConditionKey of(String text) {
        if (text.startsWith("request.headers[") && text.endsWith("]") && text.length() > "request.headers[]".length()) {
            return REQUEST_HEADERS;
        }
        for (ConditionKey k : values()) {
            if (k != REQUEST_HEADERS && k.key.equals(text)) {
                return k;
            }
        }
        return null;
    }
}
