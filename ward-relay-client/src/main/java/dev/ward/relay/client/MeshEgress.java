package dev.ward.relay.client;

import dev.ward.api.spi.ConnectCapture;
import dev.ward.mesh.EgressAuthorizer;
import dev.ward.mesh.MeshConnection.Via;
import dev.ward.mesh.SpiffeId;
import dev.ward.policy.istio.AuthorizationEngine;
import dev.ward.policy.istio.AuthorizationPolicy;
import dev.ward.policy.istio.Connection;
import dev.ward.policy.istio.Decision;
import dev.ward.policy.istio.PolicyRef;
import dev.ward.policy.istio.Workload;
import dev.ward.policy.istio.WorkloadAuthorizer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The task's egress AuthorizationPolicies ({@code ward.dev/direction: egress}) on its connections to destinations
 * outside the mesh, in Istio's order (deny first; no ALLOW policy, allowed; else an ALLOW must match): for the
 * proxy ports with the name the client asked for ({@link #allow}), and for the workload's own connect(2) by
 * address only ({@link #connect}), where an ALLOW rule with hosts never matches and a DENY rule with hosts matches
 * on its other fields, unless the name could change the outcome: such a connect goes to the capture port, which
 * reads the name from its first bytes ({@link #dependsOnName}). Each denial, AUDIT match and dry-run match is an alert. Event-loop and tracer threads: no
 * blocking, a new {@link Connection} per decision.
 */
final class MeshEgress implements EgressAuthorizer {
    private final WorkloadAuthorizer authorizer;
    private final SpiffeId self;
    private final MeshTelemetry telemetry;
    private final String noAllowMatched;

    private MeshEgress(WorkloadAuthorizer authorizer, SpiffeId self, MeshTelemetry telemetry) {
        this.authorizer = authorizer;
        this.self = self;
        this.telemetry = telemetry;
        // Denied because no ALLOW policy matched: the alert names those policies.
        this.noAllowMatched = String.join(",", authorizer.allowPolicies().stream().map(PolicyRef::id).toList());
    }

    /** The egress policies that select this workload as a source, or null when none does. */
    static MeshEgress of(List<AuthorizationPolicy> policies, String rootNamespace, SpiffeId self,
            Map<String, String> labels, String service, MeshTelemetry telemetry) {
        if (policies.stream().noneMatch(AuthorizationPolicy::egress)) {
            return null;
        }
        WorkloadAuthorizer a = AuthorizationEngine.compile(policies, rootNamespace)
                .forEgress(new Workload(self.namespace(), labels, service));
        return a.policyCount() == 0 ? null : new MeshEgress(a, self, telemetry);
    }

    @Override
    public boolean allow(Request r) {
        Decision d = authorizer.decideEgress(new Connection().egress(r.destination(), r.host(), r.processName()));
        if (d.reportable()) {
            report(r, d);
        }
        return d.allowed();
    }

    @Override
    public boolean namesHosts() {
        return authorizer.namesHosts();
    }

    /**
     * Tracer: whether a direct connect's outcome depends on the server's name, so that the capture port must read
     * it: denied without the name (the fail-safe) yet allowed with the best one. Otherwise the address decides at
     * once ({@link #connect}).
     */
    boolean dependsOnName(InetSocketAddress destination, int pid) {
        if (!authorizer.namesHosts()) {
            return false;
        }
        String exe = MeshTelemetry.processName(pid);
        return !authorizer.decideEgress(new Connection().egress(destination, null, exe)).allowed()
                && authorizer.decideEgress(new Connection().egress(destination, null, exe).anyHost()).allowed();
    }

    /** The workload's own connect to {@code destination}: 0, or {@link ConnectCapture#EACCES} when denied. */
    int connect(InetSocketAddress destination, int pid, String processName) {
        return allow(new Request(Via.CAPTURED, null, null, destination, pid, processName)) ? 0
                : ConnectCapture.EACCES;
    }

    private void report(Request r, Decision d) {
        if (!d.allowed()) {
            String policy = d.decidedBy() != null ? d.decidedBy().id() : noAllowMatched;
            telemetry.egress(policy, "Block", "Permission denied", r, self,
                    "reason=" + d.reason().name().toLowerCase(Locale.ROOT));
        }
        for (PolicyRef audit : d.audited()) {
            telemetry.egress(audit.id(), "Audit", "Passed", r, self, "reason=audit");
        }
        for (PolicyRef dry : d.dryRun()) {
            telemetry.egress(dry.id(), "Audit", "Passed", r, self,
                    "reason=dry-run" + (d.dryRunWouldDeny() ? " would=deny" : ""));
        }
    }
}
