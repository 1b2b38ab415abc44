package dev.ward.relay.store;

/**
 * A history query: events at or after {@code sinceNanos}, oldest first. Every text field is "" for any value.
 *
 * @param kind      null for both, else true for alerts and false for logs
 * @param container the container's name
 * @param operation Process, File, Network, ...
 * @param limit     at most this many (positive)
 * @param namespace NamespaceName (a pod's namespace; on ECS the cluster)
 * @param pod       PodName
 * @param task      an ECS task ARN or task ID ({@link StoredEvent#sameTask})
 * @param image     ContainerImage, or the image without its tag or digest ({@link StoredEvent#sameImage})
 */
public record EventQuery(long sinceNanos, Boolean kind, String container, String operation, int limit,
        String namespace, String pod, String task, String image) {
    public EventQuery(long sinceNanos, Boolean kind, String container, String operation, int limit) {
        this(sinceNanos, kind, container, operation, limit, "", "", "", "");
    }

    /** Whether {@code s} is one of the events asked for (its time aside). */
    public boolean matches(StoredEvent s) {
        return (kind == null || kind == s.alert())
                && (container.isEmpty() || container.equals(s.containerName()))
                && (operation.isEmpty() || operation.equalsIgnoreCase(s.operation()))
                && (namespace.isEmpty() || namespace.equals(s.namespaceName()))
                && (pod.isEmpty() || pod.equals(s.podName()))
                && (task.isEmpty() || StoredEvent.sameTask(StoredEvent.taskArn(s.labels()), task))
                && (image.isEmpty() || StoredEvent.sameImage(s.containerImage(), image));
    }
}
