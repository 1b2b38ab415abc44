package dev.ward.local;

import dev.ward.local.ContainerStatus.State;
import dev.ward.taskdef.Container;
import java.time.Instant;

/** Mutable state of one container while its task runs; guarded by the {@link LocalTask}'s lock. */
final class ContainerRun {
    final Container def;
    final String podmanName;
    /** The path segment of this container's metadata URI (the endpoint tells containers apart by it). */
    final String token;
    String id = "";
    String imageId = "";
    State state = State.PENDING;
    Integer exitCode;
    String health;
    Instant healthSince;
    Instant createdAt;
    Instant startedAt;
    Instant finishedAt;
    Instant waitingSince;

    ContainerRun(Container def, String podmanName, String token) {
        this.def = def;
        this.podmanName = podmanName;
        this.token = token;
        this.health = def.healthCheck().isEmpty() ? null : "starting";
    }

    boolean started() {
        return state == State.RUNNING || state == State.STOPPED;
    }

    ContainerStatus snapshot() {
        return new ContainerStatus(def.name(), podmanName, state, exitCode, health, startedAt, finishedAt);
    }
}
