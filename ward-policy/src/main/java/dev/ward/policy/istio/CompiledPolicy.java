package dev.ward.policy.istio;

import java.util.Map;

/** One policy compiled: its rules, its selection, and the decisions it gives, made once. */
final class CompiledPolicy {
    final AuthorizationPolicy source;
    final PolicyRef ref;
    final CompiledRule[] rules;
    final boolean hasL7;
    final boolean egress;
    final boolean namesHosts;
    final Decision allowedBy;
    final Decision deniedBy;

    CompiledPolicy(AuthorizationPolicy p) {
        this.source = p;
        this.ref = new PolicyRef(p.namespace(), p.name(), p.action(), p.dryRun());
        this.rules = p.rules().stream().map(r -> RuleCompiler.compile(r, p.egress())).toArray(CompiledRule[]::new);
        this.egress = p.egress();
        this.namesHosts = egress && java.util.Arrays.stream(rules).anyMatch(CompiledRule::namesHost);
        this.hasL7 = !egress && p.hasL7();
        this.allowedBy = new Decision(true, Decision.Reason.ALLOW_MATCHED, ref, java.util.List.of(),
                java.util.List.of(), false);
        this.deniedBy = new Decision(false, Decision.Reason.DENY_MATCHED, ref, java.util.List.of(),
                java.util.List.of(), false);
    }

    /** Rules are ORed; no rule never matches (istio/api authorization_policy.proto, AuthorizationPolicy.rules). */
    boolean matches(Connection c, HttpRequest http) {
        boolean deny = ref.action() == AuthzAction.DENY;
        for (CompiledRule r : rules) {
            if (r.matches(c, http, deny)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the policy applies to {@code w}: its namespace is the root namespace or the workload's, and its
     * targetRefs name the workload's service, or (without targetRefs) its matchLabels are all among the workload's
     * labels (no selector: every workload).
     */
    boolean selects(Workload w, String rootNamespace) {
        AuthorizationPolicy p = source;
        if (!p.namespace().equals(rootNamespace) && !p.namespace().equals(w.namespace())) {
            return false;
        }
        if (!p.targetRefs().isEmpty()) {
            return p.targetRefs().stream().anyMatch(t -> t.isService() && t.name().equals(w.service()));
        }
        if (p.selector() == null) {
            return true;
        }
        for (Map.Entry<String, String> e : p.selector().entrySet()) {
            if (!e.getValue().equals(w.labels().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
