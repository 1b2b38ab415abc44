package dev.ward.relay.client;

import dev.ward.mesh.HttpHead;
import dev.ward.mesh.InboundAuthorizer;
import dev.ward.mesh.InboundHttp;
import dev.ward.mesh.SpiffeId;
import dev.ward.policy.istio.AuthorizationEngine;
import dev.ward.policy.istio.AuthorizationPolicy;
import dev.ward.policy.istio.Connection;
import dev.ward.policy.istio.Decision;
import dev.ward.policy.istio.HttpRequest;
import dev.ward.policy.istio.PolicyRef;
import dev.ward.policy.istio.Workload;
import dev.ward.policy.istio.WorkloadAuthorizer;
import java.util.List;
import java.util.Map;

/**
 * Istio AuthorizationPolicy on the task's inbound tunnels, decided as ztunnel decides (deny first; no ALLOW policy,
 * allowed; else an ALLOW must match). Without L7 fields in the workload's policies, once per tunnel: a denial
 * answers 401 on the CONNECT. With them, per HTTP request inside the tunnel (a denial is 403
 * {@code RBAC: access denied}); traffic that is not HTTP/1.1 gets ztunnel's fail-safe (an ALLOW rule with L7 fields
 * never matches, a DENY rule with L7 fields matches on its L4 fields). Denials, AUDIT and dry-run matches are
 * alerts, with the method and path when L7 decided. Event-loop thread: no blocking.
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

    @Override
    public InboundHttp http(Request request) {
        return authorizer.needsHttp() ? new Requests(request) : null;
    }

    private void report(Request r, Decision d) {
        report(r, d, null, "hbone=401");
    }

    /** {@code request}: {@code METHOD path} when L7 decided, else null; {@code denial}: how a denial was answered. */
    private void report(Request r, Decision d, String request, String denial) {
        int port = r.destination() == null ? 0 : r.destination().getPort();
        if (!d.allowed()) {
            String policy = d.decidedBy() != null ? d.decidedBy().id() : noAllowMatched;
            telemetry.decision(policy, "Block", "Permission denied", r.source(), r.peer(), self, port, request,
                    "reason=" + d.reason().name().toLowerCase(java.util.Locale.ROOT) + " " + denial);
        }
        for (PolicyRef audit : d.audited()) {
            telemetry.decision(audit.id(), "Audit", "Passed", r.source(), r.peer(), self, port, request,
                    "reason=audit");
        }
        for (PolicyRef dry : d.dryRun()) {
            telemetry.decision(dry.id(), "Audit", "Passed", r.source(), r.peer(), self, port, request,
                    "reason=dry-run" + (d.dryRunWouldDeny() ? " would=deny" : ""));
        }
    }

    /**
     * The requests of one tunnel whose policies need HTTP: its L4 facts set once, one {@link HttpRequest} reused
     * (the tunnel's event-loop thread only).
     */
    private final class Requests implements InboundHttp {
        private final Request tunnel;
        private final Connection connection;
        private final HttpRequest http = new HttpRequest();

        Requests(Request tunnel) {
            this.tunnel = tunnel;
            this.connection = new Connection().set(tunnel.peer() == null ? null : tunnel.peer().toString(),
                    tunnel.source(), tunnel.destination());
        }

        @Override
        public Verdict request(HttpHead head) {
            http.reset().method(head.method()).path(head.path()).authority(head.authority());
            for (int i = 0; i < head.headerCount(); i++) {
                http.header(head.headerName(i), head.headerValue(i));
            }
            if (http.badPath()) {
                return Verdict.BAD_REQUEST;
            }
            Decision d = authorizer.decideL7(connection, http);
            if (d.reportable()) {
                report(tunnel, d, head.method() + " " + (head.path() != null ? head.path() : head.authority()),
                        "http=403");
            }
            return d.allowed() ? Verdict.ALLOW : Verdict.DENY;
        }

        @Override
        public boolean unparsed(String why) {
            Decision d = authorizer.decideL4(connection);
            if (d.reportable()) {
                report(tunnel, d, null, "l7=unparsed(" + why + ") reset");
            }
            return d.allowed();
        }
    }
}
