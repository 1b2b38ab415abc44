package dev.ward.relay;

import dev.ward.relay.store.StoredEvent;
import io.grpc.Status;

/**
 * What a watcher wants: alerts, logs or both (KubeArmor's filters: "policy", "system", "all"), optionally one
 * container and one operation, and one workload: a namespace, a pod, an ECS task (ARN or ID), an image (with or
 * without its tag or digest). "" means any.
 */
record EventFilter(boolean alerts, boolean logs, String container, String operation, String namespace, String pod,
        String task, String image) {
    static final EventFilter ALL = new EventFilter(true, true, "", "");

    EventFilter(boolean alerts, boolean logs, String container, String operation) {
        this(alerts, logs, container, operation, "", "", "", "");
    }

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

    /** This filter, for one workload only. */
    EventFilter workload(String namespace, String pod, String task, String image) {
        return new EventFilter(alerts, logs, container, operation, namespace, pod, task, image);
    }

    boolean matches(RelayEvent e) {
        if (e.isAlert() ? !alerts : !logs) {
            return false;
        }
        if (!container.isEmpty() && !container.equals(e.containerName())) {
            return false;
        }
        if (!namespace.isEmpty() && !namespace.equals(e.namespaceName()) || !pod.isEmpty() && !pod.equals(e.podName())) {
            return false;
        }
        if (!task.isEmpty() && !StoredEvent.sameTask(StoredEvent.taskArn(e.labels()), task)
                || !image.isEmpty() && !StoredEvent.sameImage(e.containerImage(), image)) {
            return false;
        }
        return operation.isEmpty() || operation.equalsIgnoreCase(e.operation());
    }

    /** For history queries: null for both kinds. */
    Boolean kind() {
        return alerts && logs ? null : alerts;
    }
}
