package dev.ward.relay.client;

import dev.ward.mesh.InboundAuthorizer;
import dev.ward.mesh.InboundHttp;
import dev.ward.mesh.SpiffeId;
import dev.ward.policy.istio.AuthorizationPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The task's inbound authorization as the policies change: the {@code --policy} files' AuthorizationPolicies merged
 * with the relay's, where a relay policy replaces a file policy of the same namespace/name (the relay is where
 * policies are managed; a file keeps a policy in force when no relay says otherwise). Each set is compiled into a
 * {@link MeshAuthorization} on the caller's thread (the relay connection's or the certificate's, never the data
 * plane's event loop) and published with one volatile write. The data plane asks once per tunnel, at its CONNECT:
 * new tunnels are decided by the newest set, tunnels already open keep the decision they got.
 *
 * <p>Before {@link #start} (no certificate yet, so no identity to select policies for) every tunnel is refused;
 * the data plane is started only after it.
 */
final class LiveAuthorization implements InboundAuthorizer {
    private static final InboundAuthorizer NOT_STARTED = request -> false;

    private final List<AuthorizationPolicy> files;
    private final String rootNamespace;
    private final Map<String, String> labels;
    private final String service;
    private final MeshTelemetry telemetry;
    private final Object lock = new Object();
    private List<AuthorizationPolicy> relay = List.of(); // guarded by lock
    private SpiffeId self; // guarded by lock; null until start
    private volatile InboundAuthorizer current = NOT_STARTED;

    LiveAuthorization(List<AuthorizationPolicy> files, String rootNamespace, Map<String, String> labels,
            String service, MeshTelemetry telemetry) {
        this.files = List.copyOf(files);
        this.rootNamespace = rootNamespace;
        this.labels = Map.copyOf(labels);
        this.service = service;
        this.telemetry = telemetry;
    }

    @Override
    public boolean allow(Request request) {
        return current.allow(request);
    }

    /** The newest set's per-request authorizer for a tunnel, when its policies have L7 fields. */
    @Override
    public InboundHttp http(Request request) {
        return current.http(request);
    }

    /** The workload's identity is known (its first certificate): compiles the policies for it. */
    void start(SpiffeId id) {
        synchronized (lock) {
            current = compile(id, relay);
            self = id;
        }
    }

    /**
     * The relay's complete set, replacing its previous one; returns how many policies are in force (files and
     * relay merged). A set that cannot be compiled leaves the previous one in force and throws.
     */
    int replaceRelayPolicies(List<AuthorizationPolicy> policies) {
        synchronized (lock) {
            List<AuthorizationPolicy> next = List.copyOf(policies);
            if (self != null) {
                current = compile(self, next);
            }
            relay = next;
            return merge(files, next).size();
        }
    }

    /** The files' policies with the relay's; a relay policy replaces the file policy with its namespace/name. */
    static List<AuthorizationPolicy> merge(List<AuthorizationPolicy> files, List<AuthorizationPolicy> relay) {
        Map<String, AuthorizationPolicy> byId = new LinkedHashMap<>();
        for (AuthorizationPolicy p : files) {
            byId.put(p.id(), p);
        }
        for (AuthorizationPolicy p : relay) {
            byId.put(p.id(), p);
        }
        return new ArrayList<>(byId.values());
    }

    private InboundAuthorizer compile(SpiffeId id, List<AuthorizationPolicy> fromRelay) {
        return MeshAuthorization.of(merge(files, fromRelay), rootNamespace, id, labels, service, telemetry);
    }
}
