package dev.ward.policy.istio;

import java.util.List;

/**
 * The answer for one connection or HTTP request. Decisions without audit or dry-run matches are shared constants
 * (nothing is allocated for them); the lists are empty unless an AUDIT or dry-run policy matched.
 *
 * @param allowed   whether the traffic may pass (a denial is 401 on the HBONE CONNECT, 403 "RBAC: access denied"
 *                  for an HTTP request)
 * @param reason    why
 * @param decidedBy the DENY policy that denied or the ALLOW policy that allowed; null for
 *                  {@link Reason#NO_ALLOW_POLICY} and {@link Reason#NO_ALLOW_MATCHED}
 * @param audited   AUDIT policies that matched (they never change the decision)
 * @param dryRun    dry-run policies that matched (evaluated, never enforced)
 * @param dryRunWouldDeny whether enforcing the dry-run policies too would have denied what was allowed
 */
public record Decision(boolean allowed, Reason reason, PolicyRef decidedBy, List<PolicyRef> audited,
        List<PolicyRef> dryRun, boolean dryRunWouldDeny) {
    /** Allowed because no ALLOW policy applies to the workload (and no DENY policy matched). */
    public static final Decision ALLOWED_NO_POLICY = new Decision(true, Reason.NO_ALLOW_POLICY, null, List.of(),
            List.of(), false);
    /** Denied because ALLOW policies apply and none matched. */
    public static final Decision DENIED_NO_MATCH = new Decision(false, Reason.NO_ALLOW_MATCHED, null, List.of(),
            List.of(), false);

    /** The four outcomes of Istio's evaluation order. */
    public enum Reason { DENY_MATCHED, NO_ALLOW_POLICY, ALLOW_MATCHED, NO_ALLOW_MATCHED }

    public Decision {
        audited = List.copyOf(audited);
        dryRun = List.copyOf(dryRun);
    }

    /** Whether this decision is worth an alert: a denial, an audit match or a dry-run match. */
    public boolean reportable() {
        return !allowed || !audited.isEmpty() || !dryRun.isEmpty();
    }

    Decision with(List<PolicyRef> audits, List<PolicyRef> dryRuns, boolean wouldDeny) {
        return new Decision(allowed, reason, decidedBy, audits, dryRuns, wouldDeny);
    }
}
