package dev.ward.relay.client;

import dev.ward.mesh.EgressAuthorizer;
import dev.ward.mesh.SpiffeId;
import dev.ward.policy.istio.AuthorizationEngine;
import dev.ward.policy.istio.AuthorizationPolicy;
import java.util.List;
import java.util.Map;

/**
 * The task's egress policies as they change: the {@code --policy} files' AuthorizationPolicies merged with the
 * relay's ({@link LiveAuthorization#merge}: a relay policy replaces a file policy of the same namespace/name), of
 * which those annotated {@code ward.dev/direction: egress} that select this workload decide its connections to
 * destinations outside the mesh. Each set is compiled into a {@link MeshEgress} on the caller's thread (the relay
 * connection's or the certificate's) and published with one volatile write; the proxy's event loop and the
 * tracer read it with one volatile read per connection ({@link #current}), never blocking: new connections are
 * decided by the newest set, connections already open keep the decision they got.
 *
 * <p>Before {@link #start} (no certificate yet, so no identity to select policies for) nothing is decided: every
 * connection outside the mesh is allowed, as without egress policies.
 */
final class LiveEgress implements EgressAuthorizer {
    private final List<AuthorizationPolicy> files;
    private final String rootNamespace;
    private final Map<String, String> labels;
    private final String service;
    private final MeshTelemetry telemetry;
    private final Object lock = new Object();
    private List<AuthorizationPolicy> relay = List.of(); // guarded by lock
    private SpiffeId self; // guarded by lock; null until start
    private volatile MeshEgress current; // null: no egress policy selects the workload (or not started)

    /** A relay set compiled but not yet in force: {@link #publish} puts it in force. */
    static final class Pending {
        private final List<AuthorizationPolicy> relay;
        private final SpiffeId compiledFor;
        private final MeshEgress compiled;

        private Pending(List<AuthorizationPolicy> relay, SpiffeId compiledFor, MeshEgress compiled) {
            this.relay = relay;
            this.compiledFor = compiledFor;
            this.compiled = compiled;
        }
    }

    LiveEgress(List<AuthorizationPolicy> files, String rootNamespace, Map<String, String> labels, String service,
            MeshTelemetry telemetry) {
        this.files = List.copyOf(files);
        this.rootNamespace = rootNamespace;
        this.labels = Map.copyOf(labels);
        this.service = service;
        this.telemetry = telemetry;
    }

    /** Event loop and tracer: the set in force, null when no egress policy selects the workload. */
    MeshEgress current() {
        return current;
    }

    @Override
    public boolean allow(Request request) {
        MeshEgress e = current;
        return e == null || e.allow(request);
    }

    @Override
    public boolean on() {
        return current != null;
    }

    @Override
    public boolean namesHosts() {
        MeshEgress e = current;
        return e != null && e.namesHosts();
    }

    /** The workload's identity is known (its first certificate): compiles the policies for it. */
    void start(SpiffeId id) {
        synchronized (lock) {
            current = MeshEgress.of(LiveAuthorization.merge(files, relay), rootNamespace, id, labels, service,
                    telemetry);
            self = id;
        }
    }

    /**
     * The relay's complete set, replacing its previous one; returns how many egress policies are in force (files and
     * relay merged). A set that cannot be compiled leaves the previous one in force and throws.
     */
    int replaceRelayPolicies(List<AuthorizationPolicy> policies) {
        return publish(prepare(policies));
    }

    /**
     * The relay's complete set compiled, not yet in force (so that one set can be checked for every direction
     * before any is changed); an IllegalArgumentException when it cannot be compiled.
     */
    Pending prepare(List<AuthorizationPolicy> policies) {
        List<AuthorizationPolicy> next = List.copyOf(policies);
        List<AuthorizationPolicy> merged = LiveAuthorization.merge(files, next);
        synchronized (lock) {
            if (self != null) {
                return new Pending(next, self, MeshEgress.of(merged, rootNamespace, self, labels, service, telemetry));
            }
        }
        if (merged.stream().anyMatch(AuthorizationPolicy::egress)) {
            AuthorizationEngine.compile(merged, rootNamespace); // no identity yet: checked, compiled at start
        }
        return new Pending(next, null, null);
    }

    /** Puts a prepared set in force (compiled again when the identity became known since); returns as above. */
    int publish(Pending pending) {
        List<AuthorizationPolicy> merged = LiveAuthorization.merge(files, pending.relay);
        synchronized (lock) {
            if (self != null) {
                current = self.equals(pending.compiledFor) ? pending.compiled
                        : MeshEgress.of(merged, rootNamespace, self, labels, service, telemetry);
            }
            relay = pending.relay;
        }
        return (int) merged.stream().filter(AuthorizationPolicy::egress).count();
    }
}
