package dev.ward.relay;

import io.grpc.Status;

/**
 * What a watcher wants: alerts, logs or both (KubeArmor's filters: "policy", "system", "all"), optionally one
 * container and one operation.
 */
record EventFilter(boolean alerts, boolean logs, String container, String operation) {
    static final EventFilter ALL = new EventFilter(true, true, "", "");

    /** KubeArmor's filter names; anything else is INVALID_ARGUMENT saying what is accepted. */
    static EventFilter parse(String filter, String container, String operation) {
        String f = filter == null || filter.isEmpty() ? "all" : filter;
        return switch (f) {
            case "all" -> new EventFilter(true, true, container, operation);
            case "policy" -> new EventFilter(true, false, container, operation);
            case "system" -> new EventFilter(false, true, container, operation);
            default -> throw Status.INVALID_ARGUMENT.withDescription("unknown filter '" + filter
                    + "' (expected all, policy or system)").asRuntimeException();
        };
    }

    boolean matches(RelayEvent e) {
        if (e.isAlert() ? !alerts : !logs) {
            return false;
        }
        if (!container.isEmpty() && !container.equals(e.containerName())) {
            return false;
        }
        return operation.isEmpty() || operation.equalsIgnoreCase(e.operation());
    }

    /** For history queries: null for both kinds. */
    Boolean kind() {
        return alerts && logs ? null : alerts;
    }
}
