package dev.ward.relay;

import dev.ward.policy.ContainerIdentity;
import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyLoader;
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
 * The policies this relay serves: the store's, each parsed once, in an immutable snapshot swapped on change.
 * Changes go to the store first (which raises its version), then the snapshot is reloaded and every
 * connected agent whose set changed is sent its new set. Relays sharing a store notice each other's changes
 * through {@link #refresh()}, called periodically.
 *
 * <p>Every document is validated with the agent's own parser before it is stored: an agent never receives a
 * policy it would reject.
 */
final class PolicyRegistry {
    /** A stored policy and its parsed form. */
    record Entry(StoredPolicy stored, KubeArmorPolicy parsed) {
    }

    private record Snapshot(long version, Map<String, Entry> entries) {
    }

    private final Store store;
    private final AgentSessions agents;
    private final RelayMetrics metrics;
    private final PrintStream log;
    private volatile Snapshot snapshot = new Snapshot(-1, Map.of());

    PolicyRegistry(Store store, AgentSessions agents, RelayMetrics metrics, PrintStream log) {
        this.store = store;
        this.agents = agents;
        this.metrics = metrics;
        this.log = log;
    }

    /** Reloads from the store when its version moved (another relay changed policies); pushes changes. */
    synchronized void refresh() throws StoreException {
        long v = store.policyVersion();
        if (v != snapshot.version) {
            reload();
            pushAll();
        }
    }

    private void reload() throws StoreException {
        long version = store.policyVersion();
        Map<String, Entry> entries = new TreeMap<>();
        for (StoredPolicy p : store.policies()) {
            try {
                for (KubeArmorPolicy k : PolicyLoader.parse(p.yaml(), "store:" + p.key())) {
                    entries.put(p.key(), new Entry(p, k));
                }
            } catch (PolicyException e) {
                log.println("ward relay: stored policy " + p.key() + " no longer validates, not served: "
                        + e.getMessage());
            }
        }
        snapshot = new Snapshot(version, Collections.unmodifiableMap(entries));
        metrics.policyVersion(version);
    }

    long version() {
        return snapshot.version;
    }

    List<Entry> entries() {
        return List.copyOf(snapshot.entries.values());
    }

    Entry get(String namespace, String name) {
        return snapshot.entries.get(StoredPolicy.key(namespace, name));
    }

    /** The complete set for one agent. */
    PolicyBundle bundleFor(ContainerIdentity id) {
        Snapshot s = snapshot;
        PolicyBundle.Builder b = PolicyBundle.newBuilder().setVersion(s.version);
        for (Entry e : s.entries.values()) {
            if (e.parsed.selects(id)) {
                StoredPolicy p = e.stored;
                b.addPolicies(PolicyDocument.newBuilder().setName(p.name()).setNamespace(p.namespace())
                        .setYaml(p.yaml()).setVersion(p.version()));
            }
        }
        return b.build();
    }

    /** The documents of one apply request, parsed: the entries to store, or why none may be. */
    record Parsed(List<Entry> entries, PolicyResult invalid) {
    }

    /**
     * Validates and stores every document of {@code yaml}. All or nothing: when one document is invalid,
     * nothing is stored and every policy is reported Invalid with the problems. The text is parsed before the
     * registry's lock is taken: a large or hostile document never holds up other changes.
     */
    List<PolicyResult> apply(String yaml, String origin) throws StoreException {
        Parsed p = parse(yaml, origin);
        return p.invalid() != null ? List.of(p.invalid()) : store(p.entries());
    }

    /** What apply stores for {@code yaml}: the agent's own parser on the whole text, then per document. */
    static Parsed parse(String yaml, String origin) {
        String where = origin == null || origin.isBlank() ? "request" : origin;
        try {
            PolicyLoader.parse(yaml, where); // every problem of every document, with positions
        } catch (PolicyException e) {
            return new Parsed(List.of(), PolicyResult.newBuilder().setStatus(PolicyStatus.Invalid)
                    .setMessage(e.format()).build());
        }
        List<Entry> parsed = new ArrayList<>();
        for (PolicyDocuments.Doc d : PolicyDocuments.split(yaml)) {
            try {
                for (KubeArmorPolicy k : PolicyLoader.parse(d.positioned(), where)) {
                    parsed.add(new Entry(new StoredPolicy(k.namespace(), k.name(), d.text(), 0, 0), k));
                }
            } catch (PolicyException e) {
                // The whole text parsed, so a document cannot fail alone unless the split went wrong.
                return new Parsed(List.of(), PolicyResult.newBuilder().setStatus(PolicyStatus.Invalid)
                        .setMessage(e.format()).build());
            }
        }
        if (parsed.isEmpty()) {
            return new Parsed(List.of(), PolicyResult.newBuilder().setStatus(PolicyStatus.Invalid)
                    .setMessage(where + ": no KubeArmorPolicy document found").build());
        }
        return new Parsed(parsed, null);
    }

    private synchronized List<PolicyResult> store(List<Entry> parsed) throws StoreException {
        List<PolicyResult> results = new ArrayList<>();
        List<PolicyStatus> statuses = new ArrayList<>();
        List<Long> versions = new ArrayList<>();
        for (Entry e : parsed) {
            Store.Change c = store.putPolicy(e.parsed.namespace(), e.parsed.name(), e.stored.yaml());
            statuses.add(c.before().isEmpty() ? PolicyStatus.Applied : PolicyStatus.Modified);
            versions.add(c.version());
            if (c.before().isEmpty() || !c.before().get().yaml().equals(e.stored.yaml())) {
                metrics.policyChanged();
            }
        }
        reload();
        pushAll();
        for (int i = 0; i < parsed.size(); i++) {
            KubeArmorPolicy k = parsed.get(i).parsed;
            results.add(PolicyResult.newBuilder().setName(k.name()).setNamespace(k.namespace())
                    .setStatus(statuses.get(i)).setAgents(agents.matching(k)).setVersion(versions.get(i)).build());
        }
        return results;
    }

    /** Deletes one policy; NotExist when there is none. */
    synchronized PolicyResult delete(String namespace, String name) throws StoreException {
        Entry before = get(namespace, name);
        Store.Change c = store.deletePolicy(namespace, name);
        PolicyResult.Builder r = PolicyResult.newBuilder().setName(name).setNamespace(namespace)
                .setVersion(c.version());
        if (c.before().isEmpty()) {
            return r.setStatus(PolicyStatus.NotExist).setMessage("no policy " + StoredPolicy.key(namespace, name)
                    + " in the store").build();
        }
        metrics.policyChanged();
        int had = before == null ? 0 : agents.matching(before.parsed);
        reload();
        pushAll();
        return r.setStatus(PolicyStatus.Deleted).setAgents(had).build();
    }

    /** Sends every connected agent its set when it changed. */
    void pushAll() {
        for (AgentSession s : agents.all()) {
            s.sendPolicies(bundleFor(s.identity));
        }
    }
}
