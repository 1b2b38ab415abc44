package dev.ward.local;

import java.time.Instant;

/**
 * A snapshot of one container of a {@link LocalTask}.
 *
 * @param health null without a healthCheck, else {@code starting}, {@code healthy} or {@code unhealthy}
 * @param exitCode null until the container stopped
 */
public record ContainerStatus(String name, String podmanName, State state, Integer exitCode, String health,
        Instant startedAt, Instant finishedAt) {

    /** ECS-like lifecycle of a container. */
    public enum State {
        /** Created, waiting for its dependencies. */
        PENDING,
        RUNNING,
        STOPPED,
        /** The task stopped before this container could start. */
        NEVER_STARTED
    }
}
