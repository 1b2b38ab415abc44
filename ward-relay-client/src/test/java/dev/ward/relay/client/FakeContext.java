package dev.ward.relay.client;

import dev.ward.api.Identity;
import dev.ward.api.LogFilter;
import dev.ward.api.telemetry.Sink;
import dev.ward.api.spi.AgentContext;
import dev.ward.policy.KubeArmorPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An AgentContext that records what the plugin did. */
final class FakeContext implements AgentContext {
    final Map<String, String> env;
    final List<Sink> sinks = new ArrayList<>();
    final ByteArrayOutputStream diagnosticBytes = new ByteArrayOutputStream();
    final PrintStream diagnostics = new PrintStream(diagnosticBytes, true, StandardCharsets.UTF_8);
    volatile List<KubeArmorPolicy> policies = List.of();
    volatile int replacements;
    volatile Duration expected;
    volatile LogFilter logFilter = LogFilter.POLICY;

    FakeContext(Map<String, String> env) {
        this.env = env;
    }

    String diagnosticsText() {
        synchronized (diagnosticBytes) {
            return diagnosticBytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public Identity identity() {
        return new Identity("host-1", "web", Map.of(Identity.CONTAINER_NAME_LABEL, "web", "app", "shop"));
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
}
