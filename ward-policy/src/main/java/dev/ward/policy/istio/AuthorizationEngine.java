package dev.ward.policy.istio;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every AuthorizationPolicy Ward knows, compiled once; hands out the {@link WorkloadAuthorizer} of a workload.
 * Immutable (a new policy set is a new engine) and thread-safe.
 *
 * <pre>{@code
 * AuthorizationEngine engine = AuthorizationEngine.compile(policies, AuthorizationEngine.DEFAULT_ROOT_NAMESPACE);
 * Workload me = new Workload("ecs", Map.of("app", "echo"), "echo-service");
 * WorkloadAuthorizer authz = engine.forWorkload(me);       // keep it: selection is done once
 * Decision d = authz.decideL4(new Connection().peer("spiffe://td/ns/ecs/sa/shell")
 *         .sourceIp(src).destination(dst, 8080));
 * }</pre>
 *
 * <p>Egress policies ({@code ward.dev/direction: egress}) are kept apart: {@link #forWorkload} never sees them, and
 * {@link #forEgress} sees only them, selected for the workload that connects out.
 */
public final class AuthorizationEngine {
    /** Istio's default root namespace: a policy there applies to every namespace. */
    public static final String DEFAULT_ROOT_NAMESPACE = "istio-system";

    private final List<CompiledPolicy> policies;
    private final String rootNamespace;
    private final Map<Workload, WorkloadAuthorizer> byWorkload = new ConcurrentHashMap<>();
    private final Map<Workload, WorkloadAuthorizer> egressBy = new ConcurrentHashMap<>();

    private AuthorizationEngine(List<CompiledPolicy> policies, String rootNamespace) {
        this.policies = policies;
        this.rootNamespace = rootNamespace;
    }

    /** Compiles {@code policies} (as parsed and validated by the loader). */
    public static AuthorizationEngine compile(List<AuthorizationPolicy> policies, String rootNamespace) {
        return new AuthorizationEngine(policies.stream().map(CompiledPolicy::new).toList(), rootNamespace);
    }

    public String rootNamespace() {
        return rootNamespace;
    }

    /** The inbound policies that apply to {@code w} as a destination, compiled for it (cached per workload). */
    public WorkloadAuthorizer forWorkload(Workload w) {
        return byWorkload.computeIfAbsent(w, k -> new WorkloadAuthorizer(
                policies.stream().filter(p -> !p.egress && p.selects(k, rootNamespace)).toList()));
    }

    /**
     * The egress policies that apply to {@code w} as the source of outbound connections (cached per workload); ask
     * it with {@link WorkloadAuthorizer#decideEgress}. No policy: {@link WorkloadAuthorizer#policyCount()} is 0.
     */
    public WorkloadAuthorizer forEgress(Workload w) {
        return egressBy.computeIfAbsent(w, k -> new WorkloadAuthorizer(
                policies.stream().filter(p -> p.egress && p.selects(k, rootNamespace)).toList()));
    }

    /** Whether a policy for {@code w} has an L7 field (HTTP must be parsed inside its tunnels). */
    public boolean needsHttp(Workload w) {
        return forWorkload(w).needsHttp();
    }

    /** {@link WorkloadAuthorizer#decideL4} for {@code w}. */
    public Decision decideL4(Workload w, Connection c) {
        return forWorkload(w).decideL4(c);
    }

    /** {@link WorkloadAuthorizer#decideL7} for {@code w}. */
    public Decision decideL7(Workload w, Connection c, HttpRequest http) {
        return forWorkload(w).decideL7(c, http);
    }
}
