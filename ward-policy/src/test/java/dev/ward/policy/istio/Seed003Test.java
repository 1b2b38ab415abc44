package dev.ward.policy.istio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.PolicyFiles;
import dev.ward.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Seed 003's policy steps ({@code examples/istio/seed-003.yaml}), one by one, with the outcomes the seed expects. */
class Seed003Test {
    /** Surefire runs in the module's directory; the examples are beside it. */
    private static final Path SEED = Path.of("").toAbsolutePath().resolveSibling("examples/istio/seed-003.yaml");
    private static final Workload ECS_ECHO = new Workload("ecs", Map.of("app", "echo-service"), "echo-service");
    private static final Workload EKS_ECHO = new Workload("default", Map.of("app", "eks-echo"), "eks-echo");
    private static Map<String, AuthorizationPolicy> byName;

    @BeforeAll
    static void load() throws Exception {
        PolicyFiles files = PolicyLoader.loadAll(List.of(SEED));
        assertThat(files.kubeArmor()).isEmpty();
        assertThat(files.warnings()).isEmpty();
        byName = new java.util.HashMap<>();
        files.authorization().forEach(p -> byName.put(p.name(), p));
        assertThat(byName).containsOnlyKeys("eks-echo-deny", "ecs-deny-all", "allow-shell", "post-only-allow");
    }

    private static AuthorizationEngine with(String... names) {
        return AuthorizationEngine.compile(java.util.Arrays.stream(names).map(byName::get).toList(),
                AuthorizationEngine.DEFAULT_ROOT_NAMESPACE);
    }

    private static Connection caller(String namespace, String account) {
        return Authz.from("spiffe://cluster.local/ns/" + namespace + "/sa/" + account, 8080);
    }

    @Test
    void eksDenyBlocksEksWorkloadsOnly() {
        AuthorizationEngine e = with("eks-echo-deny");
        assertThat(e.decideL4(ECS_ECHO, caller("ecs", "shell-task")).allowed()).as("ECS to ECS").isTrue();
        assertThat(e.decideL4(EKS_ECHO, caller("ecs", "shell-task")).allowed()).as("ECS to EKS").isFalse();
    }

    @Test
    void ecsDenyAllBlocksEcsWorkloadsFromEveryone() {
        AuthorizationEngine e = with("ecs-deny-all");
        assertThat(e.decideL4(ECS_ECHO, caller("ecs", "shell-task")).allowed()).as("ECS to ECS").isFalse();
        assertThat(e.decideL4(EKS_ECHO, caller("ecs", "shell-task")).allowed()).as("ECS to EKS").isTrue();
        assertThat(e.decideL4(ECS_ECHO, caller("default", "eks-shell")).allowed()).as("EKS to ECS").isFalse();
    }

    @Test
    void allowingTheCallersPrincipalLetsItThroughTheDenyAll() {
        AuthorizationEngine e = with("ecs-deny-all", "allow-shell");
        Decision d = e.decideL4(ECS_ECHO, caller("ecs", "shell-task"));
        assertThat(d.allowed()).isTrue();
        assertThat(d.decidedBy().id()).isEqualTo("ecs/allow-shell");
        assertThat(e.decideL4(ECS_ECHO, caller("default", "eks-shell")).allowed()).isFalse();
    }

    @Test
    void postOnlyLetsPostThroughAndDeniesGet() {
        AuthorizationEngine e = with("post-only-allow");
        WorkloadAuthorizer a = e.forWorkload(ECS_ECHO);
        assertThat(a.needsHttp()).isTrue();
        Connection shell = caller("ecs", "shell-task");
        HttpRequest request = new HttpRequest();
        request.reset().method("POST").path("/").authority("echo-service.ecs.local:8080");
        assertThat(a.decideL7(shell, request).allowed()).isTrue();
        request.reset().method("GET").path("/").authority("echo-service.ecs.local:8080");
        Decision get = a.decideL7(shell, request);
        assertThat(get.allowed()).isFalse();
        assertThat(get.reason()).isEqualTo(Decision.Reason.NO_ALLOW_MATCHED);
        assertThat(a.decideL4(shell).allowed()).as("traffic that is not HTTP fails safe").isFalse();
        assertThat(e.needsHttp(EKS_ECHO)).isFalse();
    }
}
