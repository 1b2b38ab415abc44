package dev.ward.api.spi;

import dev.ward.api.Identity;
import dev.ward.api.LogFilter;
import dev.ward.api.telemetry.Sink;
import dev.ward.api.telemetry.Telemetry;
import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.istio.AuthorizationPolicy;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** What a plugin may see and do. Thread-safe: plugins call it from their own threads. */
public interface AgentContext {
    /** The container this agent protects. */
    Identity identity();

    /** The agent's environment (RELAYSERVERURL, WARD_* settings ...). */
    Map<String, String> env();

    /**
     * What telemetry the agent emits (--log-filter, WARD_LOG_FILTER), fixed at start: a plugin forwarding
     * telemetry tells its receivers whether logs can come at all.
     */
    default LogFilter logFilter() {
        return LogFilter.POLICY;
    }

    /** Where to print one-line diagnostics (stderr). */
    PrintStream diagnostics();

    /**
     * Adds a telemetry destination; only during {@link AgentPlugin#start}. The sink is called from the
     * exporter thread and must not block for long: buffer and drop (and count) on its own.
     */
    void addSink(Sink sink);

    /**
     * The Istio AuthorizationPolicy documents of the --policy files, as loaded at start (the mesh's inbound
     * authorization; a change to them applies at the agent's next start).
     */
    default List<AuthorizationPolicy> authorizationPolicies() {
        return List.of();
    }

    /** The policies given locally (--policy, WARD_POLICY), for reference. */
    List<KubeArmorPolicy> localPolicies();

    /**
     * Replaces the policies this plugin contributes with {@code policies} (already validated). The agent
     * compiles local + every plugin's policies into a new set and swaps it in atomically: a decision sees
     * either the old set or the new one, never a mix. Returns the number of rules now applied.
     */
    int replacePolicies(String origin, List<KubeArmorPolicy> policies);

    /**
     * With WARD_REQUIRE_POLICY=1 the agent holds the workload until a plugin delivered its first
     * policies or {@code timeout} passed; plugins that can deliver policies call this once they know
     * they will (before returning from start).
     */
    void expectPolicies(Duration timeout);

    /**
     * Puts an event of the plugin's own (a mesh connection) into the agent's stream, where every sink sees it as it
     * sees the tracer's. Never blocks: when the agent's queue is full the event is dropped and counted.
     */
    default void report(Telemetry event) {
        throw new UnsupportedOperationException("this agent does not take plugin events");
    }

    /**
     * Asks the supervisor to offer every TCP connect of the workload to {@code capture} (the mesh's transparent
     * outbound); only during {@link AgentPlugin#start}. Connect stops are then trapped even without network rules.
     */
    default void captureConnects(ConnectCapture capture) {
        throw new UnsupportedOperationException("this agent cannot capture connects");
    }

    /**
     * Holds the workload until {@code ready} completes (WARD_REQUIRE_MESH: until the task's certificate exists) or
     * {@code timeout} passed, in which case the agent does not start it and says {@code what} it waited for. Only
     * during {@link AgentPlugin#start}.
     */
    default void holdWorkloadUntil(String what, CompletionStage<?> ready, Duration timeout) {
        throw new UnsupportedOperationException("this agent cannot hold the workload");
    }
}
