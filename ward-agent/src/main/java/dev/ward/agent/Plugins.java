package dev.ward.agent;

import dev.ward.api.Entrypoint;
import dev.ward.api.Identity;
import dev.ward.api.LogFilter;
import dev.ward.api.spi.AgentContext;
import dev.ward.api.spi.AgentPlugin;
import dev.ward.api.telemetry.Sink;
import dev.ward.policy.ContainerIdentity;
import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicySet;
import dev.ward.policy.Posture;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Hosts the {@link AgentPlugin}s and owns the live policy set: local policies plus each plugin's, compiled
 * together and swapped in with one atomic write.
 */
final class Plugins implements AgentContext {
    private final Identity identity;
    private final Map<String, String> env;
    private final PrintStream diagnostics;
    private volatile List<KubeArmorPolicy> local;
    private final Posture posture;
    private final AtomicReference<LiveRules> live;
    private final Map<String, List<KubeArmorPolicy>> byOrigin = new LinkedHashMap<>();
    private final List<Sink> sinks = new ArrayList<>();
    private final List<AgentPlugin> started = new ArrayList<>();
    private List<AgentPlugin> found;
    private final CountDownLatch firstRemotePolicies = new CountDownLatch(1);
    private volatile boolean starting = true;
    private Duration policyTimeout;
    private volatile LogFilter logFilter = LogFilter.POLICY;
    private Consumer<LiveRules> onChange = rules -> { };

    Plugins(Identity identity, Map<String, String> env, PrintStream diagnostics, List<KubeArmorPolicy> local,
            Posture posture) {
        this.identity = identity;
        this.env = env;
        this.diagnostics = diagnostics;
        this.local = List.copyOf(local);
        this.posture = posture;
        this.live = new AtomicReference<>(LiveRules.of(compile(List.of()), diagnostics));
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

    /** With WARD_REQUIRE_POLICY=1: waits for the first remote policies; false on timeout. */
    boolean awaitRequiredPolicies() throws InterruptedException {
        if (policyTimeout == null) {
            return false;
        }
        return firstRemotePolicies.await(policyTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean policiesExpected() {
        return policyTimeout != null;
    }

    /** Called with each new live policy set, under this object's lock, before the untrapped-rules warning. */
    synchronized void onChange(Consumer<LiveRules> listener) {
        this.onChange = listener;
    }

    AtomicReference<LiveRules> live() {
        return live;
    }

    List<Sink> sinks() {
        return List.copyOf(sinks);
    }

    @Override
    public Identity identity() {
        return identity;
    }

    /** The agent's --log-filter, for plugins (set before {@link #startAll}). */
    void logFilter(LogFilter filter) {
        this.logFilter = filter;
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
        return local;
    }

    @Override
    public synchronized int replacePolicies(String origin, List<KubeArmorPolicy> policies) {
        byOrigin.put(origin, List.copyOf(policies));
        int rules = recompile();
        firstRemotePolicies.countDown();
        return rules;
    }

    /** Replaces the local policies (the --policy files changed); returns the number of rules applied. */
    synchronized int replaceLocal(List<KubeArmorPolicy> policies) {
        local = List.copyOf(policies);
        return recompile();
    }

    private int recompile() {
        List<KubeArmorPolicy> remote = new ArrayList<>();
        byOrigin.values().forEach(remote::addAll);
        PolicySet set = compile(remote);
        live.set(LiveRules.of(set, diagnostics));
        onChange.accept(live.get());
        String untrapped = untrapped(trapped);
        if (untrapped != null) {
            diagnostics.println("ward: warning: " + untrapped + "; those rules are not enforced");
        }
        return set.ruleCount();
    }

    private OperationSet trapped = OperationSet.ALL;

    /**
     * Null when every rule of the live policies is about an operation {@code trap} covers; otherwise which
     * operations have rules that cannot apply. Remembers {@code trap} for later policy changes, which get
     * the same check as a warning (the workload is already running then).
     */
    synchronized String untrapped(OperationSet trap) {
        this.trapped = trap;
        PolicySet set = live.get().set();
        List<String> names = new ArrayList<>();
        for (dev.ward.policy.Operation op : trap.missing()) {
            if (set.hasRules(op)) {
                names.add(op.displayName().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return names.isEmpty() ? null : "the policies have " + String.join(", ", names) + " rules, but --trap "
                + trap + " does not stop those operations";
    }

    @Override
    public synchronized void expectPolicies(Duration timeout) {
        this.policyTimeout = timeout;
    }

    private PolicySet compile(List<KubeArmorPolicy> remote) {
        List<KubeArmorPolicy> all = new ArrayList<>(local);
        all.addAll(remote);
        return PolicySet.compile(all, new ContainerIdentity(identity.containerName(), identity.labels()), posture);
    }
}
