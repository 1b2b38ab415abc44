package dev.ward.relay.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.istio.AuthorizationPolicy;
import dev.ward.policy.testing.PolicyYaml;
import dev.ward.relay.api.PolicyAck;
import dev.ward.relay.api.PolicyBundle;
import dev.ward.relay.api.PolicyDocument;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A bundle's two lists: KubeArmorPolicies to the agent, AuthorizationPolicies to the mesh, all or nothing. */
class PolicyApplierTest {
    private static final String DENY_ALL = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: deny-all
              namespace: demo
            spec: {}
            """;

    private final FakeContext context = new FakeContext(Map.of());
    private final PolicyApplier applier = new PolicyApplier(context);
    private final AtomicReference<List<AuthorizationPolicy>> mesh = new AtomicReference<>();

    @Test
    void kubeArmorPoliciesGoToTheAgentAndAuthorizationPoliciesToTheMesh() {
        applier.mesh((version, policies) -> mesh.set(policies));
        PolicyAck ack = applier.apply(PolicyBundle.newBuilder().setVersion(4)
                .addPolicies(doc("", "block-shadow", PolicyYaml.blockFile("block-shadow", "web", "/etc/shadow")))
                .addAuthorizationPolicies(doc("demo", "deny-all", DENY_ALL)).build());
        assertThat(ack.getApplied()).as(ack.getError()).isTrue();
        assertThat(context.policies()).hasSize(1);
        assertThat(mesh.get()).extracting(AuthorizationPolicy::id).containsExactly("demo/deny-all");

        assertThat(applier.apply(PolicyBundle.newBuilder().setVersion(5).build()).getApplied()).isTrue();
        assertThat(mesh.get()).as("an empty list replaces the set").isEmpty();
    }

    @Test
    void anInvalidAuthorizationPolicyRejectsTheWholeBundleAndNamesItsPlace() {
        applier.mesh((version, policies) -> mesh.set(policies));
        PolicyAck ack = applier.apply(PolicyBundle.newBuilder().setVersion(7)
                .addPolicies(doc("", "block-shadow", PolicyYaml.blockFile("block-shadow", "web", "/etc/shadow")))
                .addAuthorizationPolicies(doc("demo", "deny-all", DENY_ALL.replace("spec: {}",
                        "spec:\n  action: ALOW"))).build());
        assertThat(ack.getApplied()).isFalse();
        assertThat(ack.getError()).startsWith("relay:demo/deny-all:7:11: spec.action \"ALOW\" is not an action");
        assertThat(context.replacements()).isZero();
        assertThat(mesh.get()).isNull();
    }

    @Test
    void aSetTheMeshCannotTakeLeavesTheAgentsSetAlone() {
        applier.mesh((version, policies) -> {
            throw new IllegalArgumentException("cannot compile");
        });
        PolicyAck ack = applier.apply(PolicyBundle.newBuilder().setVersion(2)
                .addPolicies(doc("", "block-shadow", PolicyYaml.blockFile("block-shadow", "web", "/etc/shadow")))
                .addAuthorizationPolicies(doc("demo", "deny-all", DENY_ALL)).build());
        assertThat(ack.getApplied()).isFalse();
        assertThat(ack.getError()).isEqualTo("cannot compile");
        assertThat(context.replacements()).isZero();
        assertThat(applier.appliedVersion()).isZero();
    }

    private static PolicyDocument doc(String namespace, String name, String yaml) {
        return PolicyDocument.newBuilder().setNamespace(namespace).setName(name).setYaml(yaml).setVersion(1).build();
    }
}
