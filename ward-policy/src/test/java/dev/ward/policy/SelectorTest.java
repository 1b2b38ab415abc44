package dev.ward.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.testing.PolicyYaml;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** selector: matchLabels (container name, "*", other labels) ANDed with matchExpressions (In, NotIn). */
class SelectorTest {

    private static boolean selects(String selector, ContainerIdentity id) throws PolicyException {
        String yaml = PolicyYaml.named("p").selector(selector).spec("file: {matchPaths: [{path: /x}]}");
        List<KubeArmorPolicy> ps = PolicyLoader.parse(yaml, "t");
        return ps.getFirst().selects(id) && PolicySet.compile(ps, id, Posture.defaults()).ruleCount() == 1;
    }

    private static final ContainerIdentity WEB = new ContainerIdentity("web", Map.of("app", "shop", "tier", "front",
            "com.amazonaws.ecs.cluster", "prod"));

    @Test
    void containerName() throws PolicyException {
        assertThat(selects("matchLabels: {kubearmor.io/container.name: web}", WEB)).isTrue();
        assertThat(selects("matchLabels: {kubearmor.io/container.name: db}", WEB)).isFalse();
        assertThat(selects("matchLabels: {kubearmor.io/container.name: '*'}", WEB)).isTrue();
        assertThat(WEB.labels()).containsEntry("kubearmor.io/container.name", "web");
    }

    @Test
    void otherLabelsIncludingEcsTaskLabels() throws PolicyException {
        assertThat(selects("matchLabels: {app: shop, tier: front}", WEB)).isTrue();
        assertThat(selects("matchLabels: {app: shop, tier: back}", WEB)).isFalse();
        assertThat(selects("matchLabels: {com.amazonaws.ecs.cluster: prod}", WEB)).isTrue();
        assertThat(selects("matchLabels: {missing: '*'}", WEB)).isFalse();
        assertThat(selects("matchLabels: {}", WEB)).as("an empty selector selects everything").isTrue();
    }

    @Test
    void aPodsNamespaceMustBeThePolicysAsInKubeArmor() throws PolicyException {
        ContainerIdentity pod = new ContainerIdentity("web", Map.of("app", "shop"), "payments");
        String policy = """
                apiVersion: security.kubearmor.com/v1
                kind: KubeArmorPolicy
                metadata:
                  name: p
                  namespace: %s
                spec:
                  selector:
                    matchLabels: {app: shop}
                  file: {matchPaths: [{path: /x}]}
                  action: Block
                """;
        KubeArmorPolicy same = PolicyLoader.parse(policy.formatted("payments"), "t").getFirst();
        KubeArmorPolicy other = PolicyLoader.parse(policy.formatted("default"), "t").getFirst();
        assertThat(same.selects(pod)).isTrue();
        assertThat(other.selects(pod)).as("another namespace's policy").isFalse();
        assertThat(other.selects(WEB)).as("no namespace known (ECS): labels alone decide").isTrue();
        assertThat(selects("matchLabels: {app: shop}", pod)).as("a policy without a namespace applies everywhere")
                .isTrue();
        assertThat(PolicySet.compile(List.of(same, other), pod, Posture.defaults()).policyNames()).containsExactly("p");
    }

    @Test
    void matchExpressions() throws PolicyException {
        assertThat(selects("matchExpressions: [{key: label, operator: In, values: [app=shop, app=blog]}]", WEB))
                .isTrue();
        assertThat(selects("matchExpressions: [{key: label, operator: In, values: [app=blog]}]", WEB)).isFalse();
        assertThat(selects("matchExpressions: [{key: label, operator: NotIn, values: [tier=back]}]", WEB)).isTrue();
        assertThat(selects("matchExpressions: [{key: label, operator: NotIn, values: [tier=front]}]", WEB))
                .isFalse();
    }

    @Test
    void labelsAndExpressionsAreAnded() throws PolicyException {
        assertThat(selects("""
                matchLabels: {app: shop}
                matchExpressions: [{key: label, operator: NotIn, values: [tier=front]}]""", WEB)).isFalse();
        assertThat(selects("""
                matchLabels: {app: shop}
                matchExpressions: [{key: label, operator: In, values: [tier=front]}]""", WEB)).isTrue();
    }
}
