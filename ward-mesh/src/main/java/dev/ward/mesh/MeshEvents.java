package dev.ward.mesh;

/** Where the mesh reports connections (the agent's telemetry). Called from event-loop threads: must not block. */
@FunctionalInterface
public interface MeshEvents {

    void connection(MeshConnection connection);

    MeshEvents NONE = connection -> { };
}
