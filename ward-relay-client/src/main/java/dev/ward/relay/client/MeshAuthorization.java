package dev.ward.relay.client;

import dev.ward.mesh.InboundAuthorizer;
import dev.ward.mesh.SpiffeId;
import dev.ward.policy.istio.AuthorizationEngine;
import dev.ward.policy.istio.AuthorizationPolicy;
import dev.ward.policy.istio.Connection;
import dev.ward.policy.istio.Decision;
import dev.ward.policy.istio.PolicyRef;
import dev.ward.policy.istio.Workload;
import dev.ward.policy.istio.WorkloadAuthorizer;
import java.util.List;
import java.util.Map;

/**
 * Istio AuthorizationPolicy on the task's inbound tunnels, decided at L4 as ztunnel decides (deny first; no ALLOW
 * policy, allowed; else an ALLOW must match). L7 rules are not enforced yet: they get ztunnel's fail-safe (an ALLOW
 * rule with L7 fields never matches, a DENY rule with L7 fields matches on its L4 fields). A denial answers 401 on
 * the CONNECT and is an alert; so are AUDIT and dry-run matches. Event-loop thread: no blocking.
 */
final class MeshAuthorization implements InboundAuthorizer {
    private final WorkloadAuthorizer authorizer;
    private final SpiffeId self;
    private final MeshTelemetry telemetry;
    private final String noAllowMatched;

    private MeshAuthorization(WorkloadAuthorizer authorizer, SpiffeId self, MeshTelemetry telemetry) {
        this.authorizer = authorizer;
        // Denied because no ALLOW policy matched: the alert names those policies (a deny-all is one of them).
        this.noAllowMatched = String.join(",", authorizer.allowPolicies().stream().map(PolicyRef::id).toList());
        this.self = self;
        this.telemetry = telemetry;
    }

    /** Allow-all without policies; else the policies that select this workload (its namespace and labels). */
    static InboundAuthorizer of(List<AuthorizationPolicy> policies, String rootNamespace, SpiffeId self,
            Map<String, String> labels, String service, MeshTelemetry telemetry) {
        if (policies.isEmpty()) {
            return InboundAuthorizer.ALLOW_ALL;
        }
        AuthorizationEngine engine = AuthorizationEngine.compile(policies, rootNamespace);
        return new MeshAuthorization(engine.forWorkload(new Workload(self.namespace(), labels, service)), self,
                telemetry);
    }

    @Override
    public boolean allow(Request request) {
        Connection c = new Connection().set(request.peer() == null ? null : request.peer().toString(),
                request.source(), request.destination());
        Decision d = authorizer.decideL4(c);
        if (d.reportable()) {
            report(request, d);
        }
        return d.allowed();
    }

    private void report(Request r, Decision d) {
        int port = r.destination() == null ? 0 : r.destination().getPort();
        if (!d.allowed()) {
            String policy = d.decidedBy() != null ? d.decidedBy().id() : noAllowMatched;
            telemetry.decision(policy, "Block", "Permission denied", r.source(), r.peer(), self, port,
                    "reason=" + d.reason().name().toLowerCase(java.util.Locale.ROOT) + " hbone=401");
        }
        for (PolicyRef audit : d.audited()) {
            telemetry.decision(audit.id(), "Audit", "Passed", r.source(), r.peer(), self, port, "reason=audit");
        }
        for (PolicyRef dry : d.dryRun()) {
            telemetry.decision(dry.id(), "Audit", "Passed", r.source(), r.peer(), self, port,
                    "reason=dry-run" + (d.dryRunWouldDeny() ? " would=deny" : ""));
        }
    }
}
