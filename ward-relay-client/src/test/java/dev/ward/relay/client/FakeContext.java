package dev.ward.relay.client;

import dev.ward.api.Identity;
import dev.ward.api.LogFilter;
import dev.ward.api.spi.AgentContext;
import dev.ward.api.telemetry.Sink;
import dev.ward.policy.KubeArmorPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;

/**
 * An AgentContext that records what the plugin did: the sinks it added, the policies it applied and how often,
 * the wait it asked for. Shared with ward-relay's tests (its test-jar).
 */
public final class FakeContext implements AgentContext {
    final Map<String, String> env;
    final List<Sink> sinks = new ArrayList<>();
    volatile List<KubeArmorPolicy> policies = List.of();
    volatile int replacements;
    volatile Duration expected;
    volatile LogFilter logFilter = LogFilter.POLICY;
    final PrintStream diagnostics;
    private final Identity identity;
    private final ByteArrayOutputStream diagnosticBytes = new ByteArrayOutputStream();

    /** Container "web" (label app=shop) on host-1; diagnostics are kept for {@link #diagnosticsText}. */
    FakeContext(Map<String, String> env) {
        this.identity = new Identity("host-1", "web", Map.of(Identity.CONTAINER_NAME_LABEL, "web", "app", "shop"));
        this.env = env;
        this.diagnostics = new PrintStream(diagnosticBytes, true, StandardCharsets.UTF_8);
    }

    /** Container {@code container} on {@code host}, printing diagnostics to {@code diagnostics}. */
    public FakeContext(String host, String container, Map<String, String> env, LogFilter logFilter,
            PrintStream diagnostics) {
        this.identity = new Identity(host, container, Map.of(Identity.CONTAINER_NAME_LABEL, container));
        this.env = env;
        this.logFilter = logFilter;
        this.diagnostics = diagnostics;
    }

    /** The policies the plugin applied last. */
    public List<KubeArmorPolicy> policies() {
        return policies;
    }

    /** How many policy sets the plugin applied. */
    public int replacements() {
        return replacements;
    }

    @Override
    public Identity identity() {
        return identity;
    }

    @Override
    public LogFilter logFilter() {
        return logFilter;
    }

    @Override
    public Map<String, String> env() {
        return env;
    }

    @Override
    public PrintStream diagnostics() {
        return diagnostics;
    }

    @Override
    public void addSink(Sink sink) {
        sinks.add(sink);
    }

    @Override
    public List<KubeArmorPolicy> localPolicies() {
        return List.of();
    }

    @Override
    public synchronized int replacePolicies(String origin, List<KubeArmorPolicy> p) {
        policies = List.copyOf(p);
        replacements++;
        return p.stream().mapToInt(KubeArmorPolicy::ruleCount).sum();
    }

    @Override
    public void expectPolicies(Duration timeout) {
        expected = timeout;
    }

    String diagnosticsText() {
        synchronized (diagnosticBytes) {
            return diagnosticBytes.toString(StandardCharsets.UTF_8);
        }
    }
}
