package dev.ward.relay.client;

import dev.ward.api.spi.AgentContext;
import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.istio.AuthorizationPolicy;
import dev.ward.relay.api.PolicyAck;
import dev.ward.relay.api.PolicyBundle;
import dev.ward.relay.api.PolicyDocument;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates a policy bundle from the relay and swaps it in: its KubeArmorPolicies into the agent's policy set, its
 * AuthorizationPolicies into the mesh's inbound and egress authorization (with the mesh on). All or nothing: one invalid
 * document rejects the bundle and the agent keeps enforcing the last good set (the relay hears why in the ack).
 * Runs on the relay connection's thread.
 */
final class PolicyApplier {
    static final String ORIGIN = "relay";

    /** Where AuthorizationPolicies go: compiled and in force for new tunnels, or an exception and nothing changed. */
    interface AuthorizationSink {
        void replace(long version, List<AuthorizationPolicy> policies);
    }

    private final AgentContext context;
    private volatile long appliedVersion;
    private volatile AuthorizationSink mesh;

    PolicyApplier(AgentContext context) {
        this.context = context;
    }

    /** Before the connection starts: the mesh takes the bundles' AuthorizationPolicies. */
    void mesh(AuthorizationSink sink) {
        this.mesh = sink;
    }

    PolicyAck apply(PolicyBundle bundle) {
        List<KubeArmorPolicy> policies = new ArrayList<>();
        List<AuthorizationPolicy> authorization = new ArrayList<>();
        try {
            for (PolicyDocument d : bundle.getPoliciesList()) {
                policies.addAll(PolicyLoader.parse(d.getYaml(), where(d)));
            }
            for (PolicyDocument d : bundle.getAuthorizationPoliciesList()) {
                authorization.addAll(PolicyLoader.parseAll(d.getYaml(), where(d)).authorization());
            }
            AuthorizationSink sink = mesh;
            if (sink != null) {
                sink.replace(bundle.getVersion(), authorization); // before the KubeArmor set: it may still refuse
            }
        } catch (PolicyException | IllegalArgumentException e) {
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

    private static String where(PolicyDocument d) {
        return "relay:" + (d.getNamespace().isEmpty() ? "" : d.getNamespace() + "/") + d.getName();
    }
}
