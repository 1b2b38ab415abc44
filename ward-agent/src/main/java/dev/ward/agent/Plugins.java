package dev.ward.agent;

import dev.ward.api.Entrypoint;
import dev.ward.api.Identity;
import dev.ward.api.LogFilter;
import dev.ward.api.spi.AgentContext;
import dev.ward.api.spi.AgentPlugin;
import dev.ward.api.spi.ConnectCapture;
import dev.ward.agent.output.Exporter;
import dev.ward.api.telemetry.Telemetry;
import dev.ward.api.telemetry.Sink;
import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.istio.AuthorizationPolicy;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletionStage;

/**
 * Hosts the {@link AgentPlugin}s: finds, starts and stops them, and is the {@link AgentContext} they see.
 * The policies they deliver go to the {@link LivePolicies}, which owns the live set.
 */
final class Plugins implements AgentContext {
    private final Identity identity;
    private final Map<String, String> env;
    private final PrintStream diagnostics;
    private final LivePolicies policies;
    private final List<Sink> sinks = new ArrayList<>();
    private final List<AgentPlugin> started = new ArrayList<>();
    private List<AgentPlugin> found;
    private volatile boolean starting = true;
    private volatile LogFilter logFilter = LogFilter.POLICY;
    private final List<Hold> holds = new ArrayList<>();
    private volatile Exporter exporter;
    private volatile WorkloadWatch workload;
    private final List<AuthorizationPolicy> authorization;
    private ConnectCapture capture;

    /** What a plugin asked the agent to wait for before it starts the workload (WARD_REQUIRE_MESH). */
    record Hold(String what, CompletionStage<?> ready, Duration timeout) {
    }

    Plugins(Identity identity, Map<String, String> env, PrintStream diagnostics, LivePolicies policies,
            List<AuthorizationPolicy> authorization) {
        this.authorization = List.copyOf(authorization);
        this.identity = identity;
        this.env = env;
        this.diagnostics = diagnostics;
        this.policies = policies;
    }

    /**
     * Finds (loads and instantiates) the plugins without starting them: those named by
     * {@link Entrypoint#PLUGINS_PROPERTY}, else every one on the class path ({@link ServiceLoader}).
     */
    void discover() {
        if (found != null) {
            return;
        }
        found = new ArrayList<>();
        String named = System.getProperty(Entrypoint.PLUGINS_PROPERTY);
        if (named == null) {
            ServiceLoader.load(AgentPlugin.class).forEach(found::add);
            return;
        }
        for (String name : named.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            try {
                found.add(Class.forName(name.strip()).asSubclass(AgentPlugin.class).getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new IllegalStateException("-D" + Entrypoint.PLUGINS_PROPERTY + ": cannot load plugin " + name.strip() + ": " + e, e);
            }
        }
    }

    /** Starts every plugin on the class path; a plugin that throws stops the agent (fail closed). */
    void startAll() throws Exception {
        discover();
        for (AgentPlugin p : found) {
            try {
                p.start(this);
            } catch (Exception e) {
                throw new Exception("plugin " + p.name() + ": " + e.getMessage(), e);
            }
            started.add(p);
        }
        starting = false;
    }

    void stopAll() {
        for (AgentPlugin p : started) {
            try {
                p.stop();
            } catch (RuntimeException e) {
                diagnostics.println("ward: plugin " + p.name() + " did not stop cleanly: " + e.getMessage());
            }
        }
    }

    /**
     * Where {@link #report} puts plugin events, and the identity they carry (as the tracer's do); set before
     * {@link #startAll}.
     */
    void exporter(Exporter exporter, WorkloadWatch workload) {
        this.workload = workload;
        this.exporter = exporter;
    }

    /** The connect capture a plugin asked for (the mesh), or null. */
    synchronized ConnectCapture connectCapture() {
        return capture;
    }

    synchronized List<Hold> holds() {
        return List.copyOf(holds);
    }

    List<Sink> sinks() {
        return List.copyOf(sinks);
    }

    /** The agent's --log-filter, for plugins (set before {@link #startAll}). */
    void logFilter(LogFilter filter) {
        this.logFilter = filter;
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
    public synchronized void addSink(Sink sink) {
        if (!starting) {
            throw new IllegalStateException("sinks can only be added while the plugin starts");
        }
        sinks.add(sink);
    }

    @Override
    public List<KubeArmorPolicy> localPolicies() {
        return policies.local();
    }

    @Override
    public int replacePolicies(String origin, List<KubeArmorPolicy> policies) {
        return this.policies.replace(origin, policies);
    }

    @Override
    public void expectPolicies(Duration timeout) {
        policies.expectRemote(timeout);
    }

    @Override
    public List<AuthorizationPolicy> authorizationPolicies() {
        return authorization;
    }

    @Override
    public void report(Telemetry event) {
        Exporter e = exporter;
        if (e != null) {
            if (event.workload == null) {
                event.workload = workload.current();
            }
            e.offer(event);
        }
    }

    @Override
    public synchronized void captureConnects(ConnectCapture capture) {
        if (!starting) {
            throw new IllegalStateException("connect capture can only be asked for while the plugin starts");
        }
        if (this.capture != null) {
            throw new IllegalStateException("two plugins asked to capture connects");
        }
        this.capture = capture;
    }

    @Override
    public synchronized void holdWorkloadUntil(String what, CompletionStage<?> ready, Duration timeout) {
        if (!starting) {
            throw new IllegalStateException("the workload can only be held while the plugin starts");
        }
        holds.add(new Hold(what, ready, timeout));
    }
}
