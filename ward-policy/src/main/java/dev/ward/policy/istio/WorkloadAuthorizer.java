package dev.ward.policy.istio;

import java.util.ArrayList;
import java.util.List;

/**
 * The AuthorizationPolicies of one workload, compiled and immutable, safe to share between threads. Evaluation is
 * Istio's (istio/api {@code security/v1beta1/authorization_policy.proto}, header comment; ztunnel
 * {@code src/state.rs assert_rbac}): a matching DENY policy denies; else, when no ALLOW policy applies, allow; else
 * allow iff an ALLOW policy matches. AUDIT policies and dry-run policies are evaluated for the report only.
 *
 * <pre>{@code
 * WorkloadAuthorizer authz = engine.forWorkload(new Workload("ecs", labels, "echo-service"));
 * if (!authz.needsHttp()) {
 *     Decision d = authz.decideL4(connection);            // once per HBONE stream: 401 when denied
 * } else {
 *     Decision d = authz.decideL7(connection, request);   // per HTTP request: 403 "RBAC: access denied"
 *     // traffic that turns out not to be HTTP: authz.decideL4(connection) (fail-safe semantics)
 * }
 * }</pre>
 *
 * <p>Without AUDIT or dry-run policies a decision allocates nothing.
 */
public final class WorkloadAuthorizer {
    private final CompiledPolicy[] deny;
    private final CompiledPolicy[] allow;
    private final CompiledPolicy[] audit;
    private final CompiledPolicy[] dryRun;
    private final boolean dryAllow;
    private final boolean needsHttp;
    private final boolean namesHosts;

    WorkloadAuthorizer(List<CompiledPolicy> selected) {
        this.deny = pick(selected, AuthzAction.DENY, false);
        this.allow = pick(selected, AuthzAction.ALLOW, false);
        this.audit = pick(selected, AuthzAction.AUDIT, false);
        this.dryRun = selected.stream().filter(p -> p.ref.dryRun()).toArray(CompiledPolicy[]::new);
        this.dryAllow = selected.stream().anyMatch(p -> p.ref.dryRun() && p.ref.action() == AuthzAction.ALLOW);
        this.needsHttp = selected.stream().anyMatch(p -> p.hasL7);
        this.namesHosts = selected.stream().anyMatch(p -> p.namesHosts);
    }

    /**
     * Whether any policy of this workload (enforced, AUDIT or dry-run) has an L7 field, so that the proxy must parse
     * HTTP inside the tunnel; when false, {@link #decideL4} once per connection is the whole decision.
     */
    public boolean needsHttp() {
        return needsHttp;
    }

    /**
     * Whether an egress policy of this workload names hosts: a connection known by its address only may then need
     * its name (the TLS SNI, the HTTP Host) before it can be decided; see {@link Connection#anyHost}.
     */
    public boolean namesHosts() {
        return namesHosts;
    }

    /**
     * The enforced ALLOW policies that apply, for alerts: when none of them matched ({@link Decision.Reason#NO_ALLOW_MATCHED})
     * the denial is theirs (a deny-all is an ALLOW policy without rules).
     */
    public List<PolicyRef> allowPolicies() {
        List<PolicyRef> out = new java.util.ArrayList<>(allow.length);
        for (CompiledPolicy p : allow) {
            out.add(p.ref);
        }
        return List.copyOf(out);
    }

    /** The number of policies that apply (enforced, AUDIT and dry-run). */
    public int policyCount() {
        return deny.length + allow.length + audit.length + dryRun.length;
    }

    /**
     * Decides a connection whose content is not (or not yet) parsed as HTTP: ALLOW rules with L7 fields never match
     * and DENY rules with L7 fields match on their L4 fields, as ztunnel does.
     */
    public Decision decideL4(Connection c) {
        return decide(c, null);
    }

    /**
     * Decides an outbound connection of an authorizer from {@link AuthorizationEngine#forEgress}, described by
     * {@link Connection#egress}: the same order (DENY first; no ALLOW policy, allowed; else an ALLOW must match), a
     * host or process that is not known failing safe.
     */
    public Decision decideEgress(Connection c) {
        return decide(c, null);
    }

    /** Decides one HTTP request on the connection {@code c}, every field evaluated. */
    public Decision decideL7(Connection c, HttpRequest http) {
        if (http == null) {
            throw new IllegalArgumentException("decideL7 needs the HTTP request; use decideL4 for unparsed traffic");
        }
        return decide(c, http);
    }

    private Decision decide(Connection c, HttpRequest http) {
        Decision d = enforce(deny, allow, c, http);
        if (audit.length == 0 && dryRun.length == 0) {
            return d;
        }
        List<PolicyRef> audits = matching(audit, c, http);
        List<PolicyRef> dry = matching(dryRun, c, http);
        boolean wouldDeny = d.allowed() && dryRun.length > 0 && !shadowAllows(c, http);
        return audits.isEmpty() && dry.isEmpty() && !wouldDeny ? d : d.with(audits, dry, wouldDeny);
    }

    private static Decision enforce(CompiledPolicy[] deny, CompiledPolicy[] allow, Connection c, HttpRequest http) {
        for (CompiledPolicy p : deny) {
            if (p.matches(c, http)) {
                return p.deniedBy;
            }
        }
        if (allow.length == 0) {
            return Decision.ALLOWED_NO_POLICY;
        }
        for (CompiledPolicy p : allow) {
            if (p.matches(c, http)) {
                return p.allowedBy;
            }
        }
        return Decision.DENIED_NO_MATCH;
    }

    /** The decision with the dry-run policies enforced too. */
    private boolean shadowAllows(Connection c, HttpRequest http) {
        for (CompiledPolicy p : dryRun) {
            if (p.ref.action() == AuthzAction.DENY && p.matches(c, http)) {
                return false;
            }
        }
        if (!dryAllow) {
            return true;
        }
        for (CompiledPolicy p : allow) {
            if (p.matches(c, http)) {
                return true;
            }
        }
        for (CompiledPolicy p : dryRun) {
            if (p.ref.action() == AuthzAction.ALLOW && p.matches(c, http)) {
                return true;
            }
        }
        return false;
    }

    private static List<PolicyRef> matching(CompiledPolicy[] policies, Connection c, HttpRequest http) {
        List<PolicyRef> out = null;
        for (CompiledPolicy p : policies) {
            if (p.matches(c, http)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(p.ref);
            }
        }
        return out == null ? List.of() : out;
    }

    private static CompiledPolicy[] pick(List<CompiledPolicy> selected, AuthzAction action, boolean dryRun) {
        return selected.stream().filter(p -> p.ref.action() == action && p.ref.dryRun() == dryRun)
                .toArray(CompiledPolicy[]::new);
    }
}
