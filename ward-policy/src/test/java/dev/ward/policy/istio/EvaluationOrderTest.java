package dev.ward.policy.istio;

import static dev.ward.policy.istio.Authz.authorizer;
import static dev.ward.policy.istio.Authz.from;
import static dev.ward.policy.istio.Authz.http;
import static dev.ward.policy.istio.Authz.policy;
import static dev.ward.policy.istio.Authz.shell;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Istio's evaluation order (istio/api security/v1beta1/authorization_policy.proto; istio.io concepts/security
 * "allow-nothing, deny-all and allow-all policy"), selection, AUDIT, dry-run and the L4 fail-safe.
 */
class EvaluationOrderTest {
    private static final String ALLOW_SHELL = "action: ALLOW\nrules:\n- from:\n  - source:\n      principals: "
            + "[cluster.local/ns/ecs/sa/shell]\n";
    private static final String DENY_SHELL = "action: DENY\nrules:\n- from:\n  - source:\n      principals: "
            + "[cluster.local/ns/ecs/sa/shell]\n";

    @Test
    void noPolicyAllowsEverything() {
        Decision d = authorizer("").decideL4(shell());
        assertThat(d).isSameAs(Decision.ALLOWED_NO_POLICY);
        assertThat(d.reportable()).isFalse();
    }

    @Test
    void denyIsEvaluatedBeforeAllow() {
        WorkloadAuthorizer a = authorizer(policy("allow", "ecs", ALLOW_SHELL) + policy("deny", "ecs", DENY_SHELL));
        Decision d = a.decideL4(shell());
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo(Decision.Reason.DENY_MATCHED);
        assertThat(d.decidedBy().id()).isEqualTo("ecs/deny");
    }

    @Test
    void withOnlyDenyPoliciesWhatTheyDoNotMatchIsAllowed() {
        WorkloadAuthorizer a = authorizer(policy("deny", "ecs", DENY_SHELL));
        assertThat(a.decideL4(from("spiffe://cluster.local/ns/ecs/sa/other", 8080)))
                .isSameAs(Decision.ALLOWED_NO_POLICY);
    }

    @Test
    void onceAnAllowPolicyAppliesAMatchIsRequired() {
        WorkloadAuthorizer a = authorizer(policy("allow", "ecs", ALLOW_SHELL));
        assertThat(a.decideL4(shell()).reason()).isEqualTo(Decision.Reason.ALLOW_MATCHED);
        Decision other = a.decideL4(from("spiffe://cluster.local/ns/ecs/sa/other", 8080));
        assertThat(other).isSameAs(Decision.DENIED_NO_MATCH);
    }

    @Test
    void allowWithoutRulesAllowsNothingAndDenyWithoutRulesDeniesNothing() {
        assertThat(authorizer(policy("allow-nothing", "ecs", "{}")).decideL4(shell()).allowed()).isFalse();
        assertThat(authorizer(policy("allow-nothing", "ecs", "action: ALLOW\nrules: []")).decideL4(shell()).allowed())
                .isFalse();
        assertThat(authorizer(policy("deny-nothing", "ecs", "action: DENY")).decideL4(shell()).allowed()).isTrue();
    }

    @Test
    void anEmptyRuleMatchesEverything() {
        assertThat(authorizer(policy("allow-all", "ecs", "action: ALLOW\nrules:\n- {}")).decideL4(from(null, 1))
                .allowed()).isTrue();
        assertThat(authorizer(policy("deny-all", "ecs", "action: DENY\nrules:\n- {}") + policy("allow-all", "ecs",
                "rules:\n- {}")).decideL4(shell()).reason()).isEqualTo(Decision.Reason.DENY_MATCHED);
    }

    @Test
    void rulesAreOredAndFromToWhenAreAnded() {
        String spec = "rules:\n- from:\n  - source: {namespaces: [ecs]}\n  to:\n  - operation: {ports: ['8080']}\n"
                + "  when:\n  - key: source.ip\n    values: [10.0.0.0/24]\n- to:\n  - operation: {ports: ['9090']}\n";
        WorkloadAuthorizer a = authorizer(policy("p", "ecs", spec));
        assertThat(a.decideL4(shell()).allowed()).isTrue();
        assertThat(a.decideL4(from("spiffe://cluster.local/ns/ecs/sa/shell", 8081)).allowed()).isFalse();
        assertThat(a.decideL4(from("spiffe://cluster.local/ns/other/sa/x", 8080)).allowed()).isFalse();
        assertThat(a.decideL4(from(null, 9090)).allowed()).isTrue();
        Connection elsewhere = shell().sourceIp(Authz.ip("10.0.9.1"));
        assertThat(a.decideL4(elsewhere).allowed()).isFalse();
    }

    @Test
    void entriesOfFromAndToAreOredAndFieldsOfASourceAreAnded() {
        String spec = "rules:\n- from:\n  - source: {namespaces: [ecs], principals: ['*/sa/shell']}\n"
                + "  - source: {namespaces: [ops]}\n";
        WorkloadAuthorizer a = authorizer(policy("p", "ecs", spec));
        assertThat(a.decideL4(shell()).allowed()).isTrue();
        assertThat(a.decideL4(from("cluster.local/ns/ecs/sa/web", 80)).allowed()).isFalse();
        assertThat(a.decideL4(from("cluster.local/ns/ops/sa/web", 80)).allowed()).isTrue();
    }

    @Test
    void rootNamespacePoliciesApplyEverywhereOthersOnlyInTheirNamespace() {
        assertThat(authorizer(policy("root", "istio-system", "{}")).decideL4(shell()).allowed()).isFalse();
        assertThat(authorizer(policy("elsewhere", "default", "{}")).decideL4(shell()).allowed()).isTrue();
        var engine = AuthorizationEngine.compile(Authz.parse(policy("root", "mesh-root", "{}")), "mesh-root");
        assertThat(engine.decideL4(Authz.ECHO, shell()).allowed()).isFalse();
    }

    @Test
    void selectorsAreSubsetsOfTheWorkloadsLabels() {
        String yes = policy("yes", "ecs", "selector:\n  matchLabels: {app: echo}\n");
        String no = policy("no", "ecs", "selector:\n  matchLabels: {app: echo, version: v2}\n");
        assertThat(authorizer(yes).policyCount()).isEqualTo(1);
        assertThat(authorizer(no).policyCount()).isZero();
        String service = policy("svc", "ecs", "targetRefs:\n- {kind: Service, group: '', name: echo-service}\n");
        String gateway = policy("gw", "ecs", "targetRefs:\n- {kind: Gateway, group: gateway.networking.k8s.io, "
                + "name: echo-service}\n");
        assertThat(authorizer(service).policyCount()).isEqualTo(1);
        assertThat(authorizer(gateway).policyCount()).isZero();
        var engine = AuthorizationEngine.compile(Authz.parse(yes), "istio-system");
        assertThat(engine.forWorkload(new Workload("ecs", Map.of("app", "web"), "web")).policyCount()).isZero();
    }

    @Test
    void auditPoliciesReportWithoutChangingTheDecision() {
        WorkloadAuthorizer a = authorizer(policy("audit", "ecs", "action: AUDIT\nrules:\n- {}")
                + policy("allow", "ecs", ALLOW_SHELL));
        Decision d = a.decideL4(shell());
        assertThat(d.allowed()).isTrue();
        assertThat(d.audited()).extracting(PolicyRef::id).containsExactly("ecs/audit");
        assertThat(d.reportable()).isTrue();
        assertThat(a.decideL4(from(null, 80)).allowed()).isFalse();
    }

    @Test
    void dryRunPoliciesAreReportedNeverEnforced() {
        String dry = "apiVersion: security.istio.io/v1beta1\nkind: AuthorizationPolicy\nmetadata:\n  name: dry\n"
                + "  namespace: ecs\n  annotations:\n    istio.io/dry-run: \"true\"\nspec:\n  action: DENY\n"
                + "  rules:\n  - {}\n";
        Decision d = authorizer(dry).decideL4(shell());
        assertThat(d.allowed()).isTrue();
        assertThat(d.dryRun()).extracting(PolicyRef::toString).containsExactly("ecs/dry (DENY, dry-run)");
        assertThat(d.dryRunWouldDeny()).isTrue();
        String dryAllow = dry.replace("action: DENY", "action: ALLOW").replace("  - {}\n", "  - from:\n"
                + "    - source: {principals: [cluster.local/ns/ecs/sa/shell]}\n");
        WorkloadAuthorizer a = authorizer(dryAllow);
        assertThat(a.decideL4(shell()).dryRunWouldDeny()).isFalse();
        Decision stranger = a.decideL4(from(null, 80));
        assertThat(stranger.allowed()).isTrue();
        assertThat(stranger.dryRunWouldDeny()).isTrue();
        assertThat(stranger.dryRun()).isEmpty();
    }

    @Test
    void atL4AllowRulesWithL7FieldsNeverMatchAndDenyRulesMatchOnTheirL4Part() {
        String postOnly = "rules:\n- to:\n  - operation: {methods: [POST]}\n";
        WorkloadAuthorizer allow = authorizer(policy("post", "ecs", postOnly));
        assertThat(allow.needsHttp()).isTrue();
        assertThat(allow.decideL4(shell()).allowed()).isFalse();
        assertThat(allow.decideL7(shell(), http("POST", "/")).allowed()).isTrue();
        assertThat(allow.decideL7(shell(), http("GET", "/")).allowed()).isFalse();

        String denyGetFromShell = "action: DENY\nrules:\n- from:\n  - source: {principals: ['*/sa/shell']}\n"
                + "  to:\n  - operation: {methods: [GET], ports: ['8080']}\n  when:\n  - key: request.headers[x-a]\n"
                + "    values: ['1']\n";
        WorkloadAuthorizer deny = authorizer(policy("deny", "ecs", denyGetFromShell));
        assertThat(deny.decideL4(shell()).allowed()).isFalse();
        assertThat(deny.decideL4(from("cluster.local/ns/ecs/sa/web", 8080)).allowed()).isTrue();
        assertThat(deny.decideL4(from("cluster.local/ns/ecs/sa/shell", 9000)).allowed()).isTrue();
        assertThat(deny.decideL7(shell(), http("POST", "/")).allowed()).isTrue();
        assertThat(deny.decideL7(shell(), http("GET", "/").header("X-A", "1")).allowed()).isFalse();

        String mixed = "rules:\n- to:\n  - operation: {methods: [POST]}\n- from:\n  - source: {namespaces: [ecs]}\n";
        assertThat(authorizer(policy("m", "ecs", mixed)).decideL4(shell()).allowed()).isTrue();
        assertThat(authorizer(policy("l4", "ecs", "rules:\n- {}")).needsHttp()).isFalse();
    }

    @Test
    void decisionsWithoutReportsAreSharedConstants() {
        WorkloadAuthorizer a = authorizer(policy("allow", "ecs", ALLOW_SHELL));
        assertThat(a.decideL4(shell())).isSameAs(a.decideL4(shell()));
        assertThat(List.of(a.decideL4(shell()).audited(), a.decideL4(shell()).dryRun())).allMatch(List::isEmpty);
    }
}
