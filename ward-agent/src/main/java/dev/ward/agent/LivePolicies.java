package dev.ward.agent;

import dev.ward.api.Identity;
import dev.ward.policy.ContainerIdentity;
import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.Operation;
import dev.ward.policy.PolicySet;
import dev.ward.policy.Posture;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The live policy set: the local policies (--policy, WARD_POLICY) plus each origin's (a plugin such as the
 * relay), compiled together and swapped in with one atomic write, so a decision sees the old set or the new
 * one, never a mix. Every change counts as one generation.
 *
 * <p>Threading: the Guard reads {@link #live()} from the tracer thread without locking; changes come from the
 * policy watcher and plugin threads and are serialised here.
 */
final class LivePolicies {
    private final Identity identity;
    private final Posture posture;
    private final PrintStream diagnostics;
    private final AtomicReference<LiveRules> live;
    private final Map<String, List<KubeArmorPolicy>> byOrigin = new LinkedHashMap<>();
    private final CountDownLatch firstRemote = new CountDownLatch(1);
    private volatile List<KubeArmorPolicy> local;
    private volatile Duration remoteTimeout;
    private volatile long generation;
    private OperationSet trapped = OperationSet.ALL;
    private Consumer<LiveRules> onChange = rules -> { };

    LivePolicies(Identity identity, List<KubeArmorPolicy> local, Posture posture, PrintStream diagnostics) {
        this.identity = identity;
        this.posture = posture;
        this.diagnostics = diagnostics;
        this.local = List.copyOf(local);
        this.live = new AtomicReference<>(LiveRules.of(compile(this.local), diagnostics));
    }

    /** What the Guard decides with; read it once per decision. */
    AtomicReference<LiveRules> live() {
        return live;
    }

    /** How many times the set was replaced since the start (0: the policies the agent started with). */
    long generation() {
        return generation;
    }

    List<KubeArmorPolicy> local() {
        return local;
    }

    /** Replaces what {@code origin} contributes; returns the number of rules now applied. */
    synchronized int replace(String origin, List<KubeArmorPolicy> policies) {
        Map<String, List<KubeArmorPolicy>> next = new LinkedHashMap<>(byOrigin);
        next.put(origin, List.copyOf(policies));
        int rules = swap(local, next);
        firstRemote.countDown();
        return rules;
    }

    /** Replaces the local policies (the --policy files changed); returns the number of rules applied. */
    synchronized int replaceLocal(List<KubeArmorPolicy> policies) {
        return swap(List.copyOf(policies), byOrigin);
    }

    /** A plugin will deliver policies (WARD_REQUIRE_POLICY then waits up to {@code timeout} for them). */
    void expectRemote(Duration timeout) {
        this.remoteTimeout = timeout;
    }

    boolean remoteExpected() {
        return remoteTimeout != null;
    }

    /** With WARD_REQUIRE_POLICY=1: waits for the first remote policies; false on timeout or none expected. */
    boolean awaitRemote() throws InterruptedException {
        Duration timeout = remoteTimeout;
        return timeout != null && firstRemote.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Null when every rule of the live policies is about an operation {@code trap} covers; otherwise which
     * operations have rules that cannot apply. Remembers {@code trap} for later policy changes, which get
     * the same check as a warning (the workload is already running then).
     */
    synchronized String untrapped(OperationSet trap) {
        this.trapped = trap;
        PolicySet set = live.get().set();
        List<String> names = new ArrayList<>();
        for (Operation op : trap.missing()) {
            if (set.hasRules(op)) {
                names.add(op.displayName().toLowerCase(Locale.ROOT));
            }
        }
        return names.isEmpty() ? null : "the policies have " + String.join(", ", names) + " rules, but --trap "
                + trap + " does not stop those operations";
    }

    /** Called with each new live set, under this object's lock, before the untrapped-rules warning. */
    synchronized void onChange(Consumer<LiveRules> listener) {
        this.onChange = listener;
    }

    /** Compiles first and changes nothing if that fails: the set applies whole or not at all. */
    private int swap(List<KubeArmorPolicy> nextLocal, Map<String, List<KubeArmorPolicy>> nextByOrigin) {
        List<KubeArmorPolicy> all = new ArrayList<>(nextLocal);
        nextByOrigin.values().forEach(all::addAll);
        PolicySet set = compile(all);
        LiveRules rules = LiveRules.of(set, diagnostics);
        local = nextLocal;
        if (nextByOrigin != byOrigin) {
            byOrigin.clear();
            byOrigin.putAll(nextByOrigin);
        }
        live.set(rules);
        generation++;
        onChange.accept(rules);
        String untrapped = untrapped(trapped);
        if (untrapped != null) {
            diagnostics.println("ward: warning: " + untrapped + "; those rules are not enforced");
        }
        return set.ruleCount();
    }

    private PolicySet compile(List<KubeArmorPolicy> all) {
        return PolicySet.compile(all, new ContainerIdentity(identity.containerName(), identity.labels(),
                identity.pod().namespace()), posture);
    }
}
