package dev.ward.relay.client;

import dev.ward.api.spi.AgentContext;
import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyLoader;
import dev.ward.relay.api.PolicyAck;
import dev.ward.relay.api.PolicyBundle;
import dev.ward.relay.api.PolicyDocument;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates a policy bundle from the relay and swaps it in. All or nothing: one invalid document rejects
 * the bundle and the agent keeps enforcing the last good set (the relay hears why in the ack).
 */
final class PolicyApplier {
    static final String ORIGIN = "relay";

    private final AgentContext context;
    private volatile long appliedVersion;

    PolicyApplier(AgentContext context) {
        this.context = context;
    }

    PolicyAck apply(PolicyBundle bundle) {
        List<KubeArmorPolicy> policies = new ArrayList<>();
        try {
            for (PolicyDocument d : bundle.getPoliciesList()) {
                String where = "relay:" + (d.getNamespace().isEmpty() ? "" : d.getNamespace() + "/") + d.getName();
                policies.addAll(PolicyLoader.parse(d.getYaml(), where));
            }
        } catch (PolicyException e) {
            context.diagnostics().println("ward: relay: policy set v" + bundle.getVersion()
                    + " rejected, still enforcing v" + appliedVersion + ": " + e.getMessage());
            return PolicyAck.newBuilder().setVersion(bundle.getVersion()).setApplied(false)
                    .setError(e.getMessage()).build();
        }
        int rules = context.replacePolicies(ORIGIN, policies);
        appliedVersion = bundle.getVersion();
        context.diagnostics().println("ward: relay: applied policy set v" + bundle.getVersion() + " ("
                + policies.size() + (policies.size() == 1 ? " policy, " : " policies, ") + rules + " rules in force)");
        return PolicyAck.newBuilder().setVersion(bundle.getVersion()).setApplied(true).setRules(rules).build();
    }

    long appliedVersion() {
        return appliedVersion;
    }
}
