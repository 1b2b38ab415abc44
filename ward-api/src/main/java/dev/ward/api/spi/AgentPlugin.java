package dev.ward.api.spi;

/**
 * An extension of the agent found with {@link java.util.ServiceLoader} (list the implementation in
 * {@code META-INF/services/dev.ward.api.spi.AgentPlugin}): the relay client is one. Plugins keep the
 * agent core free of their dependencies; the agent bundle decides which plugins ship.
 *
 * <p>Lifecycle: {@link #start} is called on the main thread before the workload starts, {@link #stop}
 * after it ended and telemetry was flushed. Do network I/O on your own threads, never on the caller's.
 */
public interface AgentPlugin {
    /** A short name for diagnostics, e.g. {@code relay}. */
    String name();

    /**
     * Called before the workload starts. Return quickly; throw to report a configuration error (the
     * agent then refuses to start the workload, like a broken policy).
     */
    void start(AgentContext context) throws Exception;

    /** Called once the workload ended and the agent's own telemetry was flushed. */
    default void stop() {
    }
}
