package dev.ward.relay;

import dev.ward.policy.ContainerIdentity;
import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyFiles;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.istio.AuthorizationPolicy;
import dev.ward.relay.api.PolicyBundle;
import dev.ward.relay.api.PolicyDocument;
import dev.ward.relay.api.PolicyResult;
import dev.ward.relay.api.policy.PolicyStatus;
import dev.ward.relay.store.Store;
import dev.ward.relay.store.StoreException;
import dev.ward.relay.store.StoredPolicy;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The policies this relay serves, KubeArmorPolicies and Istio AuthorizationPolicies: the store's, each parsed once,
 * in an immutable snapshot swapped on change.
 * Changes go to the store first (which raises its version), then the snapshot is reloaded and every
 * connected agent whose set changed is sent its new set. Relays sharing a store notice each other's changes
 * through {@link #refresh()}, called periodically.
 *
 * <p>Every document is validated with the agent's own parser before it is stored: an agent never receives a
 * policy it would reject.
 *
 * <p>Which agents a policy reaches: a KubeArmorPolicy, the agents its selector matches; an AuthorizationPolicy,
 * every agent with the mesh on (Hello.mesh), whose own engine then selects what applies to its workload (namespace,
 * root namespace, selector, targetRefs). The relay learns an agent's mesh identity only after the agent's data
 * plane is up; sending every AuthorizationPolicy with the first set means none is missing while it starts.
 *
 * <p>Locking: {@code lock} serializes store changes and snapshot swaps (and the pushes that follow, so an
 * agent never gets an older set after a newer one). YAML is never parsed under it: requests are parsed
 * before it is taken ({@link PolicyParsing}) and snapshots are built before the swap.
 */
final class PolicyRegistry {
    /** A stored policy and its parsed form: {@code parsed} for a KubeArmorPolicy, else {@code authorization}. */
    record Entry(StoredPolicy stored, KubeArmorPolicy parsed, AuthorizationPolicy authorization) {
        /** The entry of a stored policy; null when its document holds no policy of its kind. */
        static Entry of(StoredPolicy p, PolicyFiles f) {
            if (p.kind().equals(StoredPolicy.AUTHORIZATION)) {
                return f.authorization().isEmpty() ? null : new Entry(p, null, f.authorization().getFirst());
            }
            return f.kubeArmor().isEmpty() ? null : new Entry(p, f.kubeArmor().getFirst(), null);
        }
    }

    private record Snapshot(long version, Map<String, Entry> entries) {
    }

    /** A kind that is neither, or a name both kinds use asked for without a kind. */
    static final class KindProblem extends Exception {
        KindProblem(String message) {
            super(message);
        }
    }

    private final Store store;
    private final AgentSessions agents;
    private final RelayMetrics metrics;
    private final PrintStream log;
    private final PolicyParsing.Parser parser;
    private final Object lock = new Object();
    private volatile Snapshot snapshot = new Snapshot(-1, Map.of());

    PolicyRegistry(Store store, AgentSessions agents, RelayMetrics metrics, PrintStream log) {
        this(store, agents, metrics, log, PolicyLoader::parseAll);
    }

    PolicyRegistry(Store store, AgentSessions agents, RelayMetrics metrics, PrintStream log,
            PolicyParsing.Parser parser) {
        this.store = store;
        this.agents = agents;
        this.metrics = metrics;
        this.log = log;
        this.parser = parser;
    }

    /** Reloads from the store when its version moved (another relay changed policies); pushes changes. */
    void refresh() throws StoreException {
        if (store.policyVersion() != snapshot.version) {
            swap(load(snapshot.entries));
        }
    }

    /**
     * Reads the store and parses what {@code known} does not already hold with the same YAML (no lock held).
     * The version is read first: policies newer than it only make the next refresh load again.
     */
    private Snapshot load(Map<String, Entry> known) throws StoreException {
        long version = store.policyVersion();
        Map<String, Entry> entries = new TreeMap<>();
        for (StoredPolicy p : store.policies()) {
            Entry old = known.get(p.id());
            if (old != null && old.stored.yaml().equals(p.yaml())) {
                entries.put(p.id(), new Entry(p, old.parsed, old.authorization));
                continue;
            }
            try {
                Entry e = Entry.of(p, parser.parse(p.yaml(), "store:" + p.id()));
                if (e != null) {
                    entries.put(p.id(), e);
                }
            } catch (PolicyException e) {
                log.println("ward relay: stored policy " + p.id() + " no longer validates, not served: "
                        + e.getMessage());
            }
        }
        return new Snapshot(version, Collections.unmodifiableMap(entries));
    }

    /**
     * Installs {@code next} and pushes the agents' new sets, unless a snapshot at least as new is in place
     * (loads run concurrently, and the store's version only grows).
     */
    private void swap(Snapshot next) {
        synchronized (lock) {
            if (next.version <= snapshot.version) {
                return;
            }
            snapshot = next;
            metrics.policyVersion(next.version);
            pushAll();
        }
    }

    long version() {
        return snapshot.version;
    }

    List<Entry> entries() {
        return List.copyOf(snapshot.entries.values());
    }

    /** The policy {@code namespace/name} of {@code kind}, or of either kind for "" (both: ambiguous). */
    Entry get(String kind, String namespace, String name) throws KindProblem {
        return snapshot.entries.get(StoredPolicy.id(kind(kind, namespace, name), namespace, name));
    }

    /** The namespaces other than {@code namespace} holding a policy called {@code name}, for hints. */
    List<String> otherNamespaces(String namespace, String name) {
        List<String> out = new ArrayList<>();
        for (Entry e : snapshot.entries.values()) {
            if (e.stored.name().equals(name) && !e.stored.namespace().equals(namespace)) {
                out.add(e.stored.namespace());
            }
        }
        return out;
    }

    /** The complete set for one agent: its KubeArmorPolicies and, with {@code mesh}, every AuthorizationPolicy. */
    PolicyBundle bundleFor(ContainerIdentity id, boolean mesh) {
        Snapshot s = snapshot;
        PolicyBundle.Builder b = PolicyBundle.newBuilder().setVersion(s.version);
        for (Entry e : s.entries.values()) {
            StoredPolicy p = e.stored;
            PolicyDocument.Builder d = PolicyDocument.newBuilder().setName(p.name()).setNamespace(p.namespace())
                    .setYaml(p.yaml()).setVersion(p.version());
            if (e.parsed != null && e.parsed.selects(id)) {
                b.addPolicies(d);
            } else if (e.authorization != null && mesh) {
                b.addAuthorizationPolicies(d);
            }
        }
        return b.build();
    }

    /** The documents of one apply request, parsed: the entries to store, or why none may be. */
    record Parsed(List<Entry> entries, PolicyResult invalid) {
    }

    /**
     * Validates and stores every document of {@code yaml}. All or nothing: when one document is invalid,
     * nothing is stored and every policy is reported Invalid with the problems. A document identical to the
     * stored one is reported unchanged and keeps its version.
     */
    List<PolicyResult> apply(String yaml, String origin) throws StoreException {
        PolicyParsing.Parsed parsed = PolicyParsing.parse(parser, yaml, origin);
        if (parsed.invalid() != null) {
            return List.of(parsed.invalid());
        }
        List<PolicyResult.Builder> results = new ArrayList<>();
        List<Entry> stored = new ArrayList<>();
        synchronized (lock) {
            List<Store.Put> puts = new ArrayList<>();
            for (Entry e : parsed.entries()) {
                puts.add(new Store.Put(e.stored.kind(), e.stored.namespace(), e.stored.name(), e.stored.yaml()));
            }
            List<Store.Change> changes = store.putPolicies(puts); // one transaction: all documents or none
            for (int i = 0; i < changes.size(); i++) {
                Entry e = parsed.entries().get(i);
                Store.Change c = changes.get(i);
                boolean same = c.before().isPresent() && c.before().get().yaml().equals(e.stored.yaml());
                PolicyResult.Builder r = PolicyResult.newBuilder().setName(e.stored.name())
                        .setNamespace(e.stored.namespace()).setKind(e.stored.kind());
                if (same) {
                    r.setStatus(PolicyStatus.Modified).setUnchanged(true).setVersion(c.before().get().version());
                } else {
                    metrics.policyChanged();
                    r.setStatus(c.before().isEmpty() ? PolicyStatus.Applied : PolicyStatus.Modified)
                            .setVersion(c.version());
                }
                results.add(r);
                stored.add(e);
            }
        }
        Map<String, Entry> known = new TreeMap<>(snapshot.entries);
        for (Entry e : stored) {
            known.put(e.stored.id(), e); // parsed above: the load reuses them instead of parsing again
        }
        swap(load(known));
        List<PolicyResult> out = new ArrayList<>();
        for (PolicyResult.Builder r : results) {
            out.add(r.setAgents(agents.holding(StoredPolicy.id(r.getKind(), r.getNamespace(), r.getName()))).build());
        }
        return out;
    }

    /**
     * Deletes one policy; NotExist when there is none (with a hint when the name exists in another
     * namespace). The count is of the connected agents that held it: the ones it is removed from.
     */
    PolicyResult delete(String namespace, String name) throws StoreException {
        return delete(StoredPolicy.KUBEARMOR, namespace, name);
    }

    /** Deletes the policy of {@code kind} ("": of the one kind holding this name; Invalid when both do). */
    PolicyResult delete(String kind, String namespace, String name) throws StoreException {
        String key = StoredPolicy.key(namespace, name);
        PolicyResult.Builder r = PolicyResult.newBuilder().setName(name).setNamespace(namespace);
        String k;
        try {
            k = kind(kind, namespace, name);
        } catch (KindProblem e) {
            return r.setStatus(PolicyStatus.Invalid).setMessage(e.getMessage()).build();
        }
        Store.Change c;
        int had;
        synchronized (lock) {
            had = agents.holding(StoredPolicy.id(k, namespace, name));
            c = store.deletePolicy(k, namespace, name);
        }
        r.setKind(k).setVersion(c.version());
        if (c.before().isEmpty()) {
            return r.setStatus(PolicyStatus.NotExist).setMessage("no " + (kind.isEmpty() ? "policy" : k) + " " + key
                    + " on the relay" + NamespaceHint.of(otherNamespaces(namespace, name), name, "delete")).build();
        }
        metrics.policyChanged();
        swap(load(snapshot.entries));
        return r.setStatus(PolicyStatus.Deleted).setAgents(had).build();
    }

    /**
     * Sends a newly connected agent its set. Under the lock, like {@link #pushAll}: a set built from an older
     * snapshot can then never arrive after the one a concurrent change pushed.
     */
    void sendTo(AgentSession s) {
        synchronized (lock) {
            s.sendPolicies(bundleFor(s.identity, s.hello.getMesh()));
        }
    }

    /** Sends every connected agent its set when it changed. */
    void pushAll() {
        synchronized (lock) {
            for (AgentSession s : agents.all()) {
                s.sendPolicies(bundleFor(s.identity, s.hello.getMesh()));
            }
        }
    }

    /**
     * {@code kind} when given (either spelling case), else the kind of the one policy called {@code namespace/name}
     * (a KubeArmorPolicy when there is none).
     */
    private String kind(String kind, String namespace, String name) throws KindProblem {
        if (kind.equalsIgnoreCase(StoredPolicy.KUBEARMOR)) {
            return StoredPolicy.KUBEARMOR;
        }
        if (kind.equalsIgnoreCase(StoredPolicy.AUTHORIZATION)) {
            return StoredPolicy.AUTHORIZATION;
        }
        if (!kind.isEmpty()) {
            throw new KindProblem("kind '" + kind + "' is not " + StoredPolicy.KUBEARMOR + " or "
                    + StoredPolicy.AUTHORIZATION);
        }
        Map<String, Entry> entries = snapshot.entries;
        boolean kubeArmor = entries.containsKey(StoredPolicy.id(StoredPolicy.KUBEARMOR, namespace, name));
        boolean authorization = entries.containsKey(StoredPolicy.id(StoredPolicy.AUTHORIZATION, namespace, name));
        if (kubeArmor && authorization) {
            throw new KindProblem(StoredPolicy.key(namespace, name) + " is both a KubeArmorPolicy and an "
                    + "AuthorizationPolicy: give the kind (--kind " + StoredPolicy.KUBEARMOR + " or --kind "
                    + StoredPolicy.AUTHORIZATION + ")");
        }
        return authorization ? StoredPolicy.AUTHORIZATION : StoredPolicy.KUBEARMOR;
    }
}
