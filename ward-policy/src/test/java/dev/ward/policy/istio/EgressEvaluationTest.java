package dev.ward.policy.istio;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * Egress policies ({@code ward.dev/direction: egress}): hosts (exact, {@code *.suffix}, {@code prefix*}, any case,
 * port-less), ports, destination IPs, the process, Istio's order (deny first, no ALLOW means allow, else a match),
 * dry-run, the fail-safe for unknown hosts and processes, and that inbound and egress policies never mix.
 */
class EgressEvaluationTest {
    /** An egress policy for the workload {@code app: echo}. */
    static String egress(String name, String spec) {
        return egress(name, "", spec);
    }

    static String egress(String name, String extraAnnotations, String spec) {
        return "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: " + name
                + "\n  namespace: ecs\n  annotations:\n    ward.dev/direction: egress\n" + extraAnnotations
                + "spec:\n  selector:\n    matchLabels: {app: echo}\n" + spec.indent(2) + "---\n";
    }

    static WorkloadAuthorizer egressOf(String yaml) {
        return AuthorizationEngine.compile(Authz.parse(yaml), AuthorizationEngine.DEFAULT_ROOT_NAMESPACE)
                .forEgress(Authz.ECHO);
    }

    static Connection to(String host, String ip, int port, String process) {
        return new Connection().egress(new InetSocketAddress(Authz.ip(ip), port), host, process);
    }

    static boolean allowed(WorkloadAuthorizer a, String host, int port, String process) {
        return a.decideEgress(to(host, "203.0.113.7", port, process)).allowed();
    }

    @Test
    void onlyTheJavaProcessMayReachStripe() {
        WorkloadAuthorizer a = egressOf(egress("stripe", "action: ALLOW\nrules:\n- to:\n"
                + "  - operation: {hosts: [api.stripe.com], ports: ['443']}\n  when:\n  - key: source.process\n"
                + "    values: [java]\n"));
        assertThat(allowed(a, "api.stripe.com", 443, "/usr/lib/jvm/jdk-25/bin/java")).isTrue();
        assertThat(allowed(a, "API.Stripe.COM.", 443, "/opt/java/bin/java")).isTrue();
        assertThat(allowed(a, "api.stripe.com", 443, "/usr/bin/curl")).isFalse();
        assertThat(allowed(a, "api.stripe.com", 80, "/usr/bin/java")).isFalse();
        assertThat(allowed(a, "evil.example", 443, "/usr/bin/java")).isFalse();
        assertThat(allowed(a, "api.stripe.com", 443, "/usr/bin/javac")).isFalse();
        Decision d = a.decideEgress(to("api.stripe.com", "203.0.113.7", 443, "/usr/bin/curl"));
        assertThat(d.reason()).isEqualTo(Decision.Reason.NO_ALLOW_MATCHED);
        assertThat(a.allowPolicies()).extracting(PolicyRef::id).containsExactly("ecs/stripe");
    }

    @Test
    void theExampleLetsOnlyPaymentsJavaReachStripe() throws Exception {
        java.nio.file.Path file = java.nio.file.Path.of("").toAbsolutePath()
                .resolveSibling("examples/istio/egress-stripe.yaml");
        AuthorizationEngine engine = AuthorizationEngine.compile(Authz.parse(java.nio.file.Files.readString(file)),
                AuthorizationEngine.DEFAULT_ROOT_NAMESPACE);
        WorkloadAuthorizer payment = engine.forEgress(new Workload("shop", java.util.Map.of("service", "payment"),
                "payment"));
        assertThat(payment.decideEgress(to("api.stripe.com", "203.0.113.7", 443, "/usr/bin/java")).allowed())
                .isTrue();
        assertThat(payment.decideEgress(to("api.stripe.com", "203.0.113.7", 443, "/usr/bin/python3")).allowed())
                .isFalse();
        Decision metadata = payment.decideEgress(to(null, "169.254.169.254", 80, "/usr/bin/java"));
        assertThat(metadata.allowed()).isFalse();
        assertThat(metadata.dryRun()).extracting(PolicyRef::id).containsExactly("istio-system/no-instance-metadata");
        WorkloadAuthorizer web = engine.forEgress(new Workload("shop", java.util.Map.of("service", "web"), "web"));
        assertThat(web.decideEgress(to("api.stripe.com", "203.0.113.7", 443, "/usr/bin/java")).allowed()).isTrue();
        assertThat(web.decideEgress(to(null, "169.254.169.254", 80, "/usr/bin/java")).dryRunWouldDeny()).isTrue();
    }

    @Test
    void hostsMatchExactlySuffixAndPrefixIgnoringCase() {
        WorkloadAuthorizer a = egressOf(egress("hosts", "rules:\n- to:\n"
                + "  - operation: {hosts: [exact.example.com, '*.stripe.com', 'logs-*']}\n"));
        assertThat(allowed(a, "exact.example.com", 1, null)).isTrue();
        assertThat(allowed(a, "EXACT.example.com", 1, null)).isTrue();
        assertThat(allowed(a, "sub.exact.example.com", 1, null)).isFalse();
        assertThat(allowed(a, "api.stripe.com", 1, null)).isTrue();
        assertThat(allowed(a, "a.b.STRIPE.com", 1, null)).isTrue();
        assertThat(allowed(a, "stripe.com", 1, null)).isFalse();
        assertThat(allowed(a, "logs-eu.internal", 1, null)).isTrue();
        assertThat(allowed(a, "metrics.internal", 1, null)).isFalse();
    }

    @Test
    void portsAndDestinationIpBlocks() {
        WorkloadAuthorizer a = egressOf(egress("net", "rules:\n- to:\n  - operation: {notPorts: ['25']}\n"
                + "  when:\n  - key: destination.ip\n    values: [10.0.0.0/8, '2001:db8::/32']\n"
                + "  - key: destination.port\n    notValues: ['22']\n"));
        assertThat(a.decideEgress(to(null, "10.1.2.3", 443, null)).allowed()).isTrue();
        assertThat(a.decideEgress(to(null, "2001:db8::1", 443, null)).allowed()).isTrue();
        assertThat(a.decideEgress(to(null, "10.1.2.3", 25, null)).allowed()).isFalse();
        assertThat(a.decideEgress(to(null, "10.1.2.3", 22, null)).allowed()).isFalse();
        assertThat(a.decideEgress(to(null, "192.0.2.1", 443, null)).allowed()).isFalse();
    }

    @Test
    void processesByPathOrName() {
        WorkloadAuthorizer a = egressOf(egress("curl", "rules:\n- when:\n  - key: source.process\n"
                + "    values: [/usr/bin/curl, wget]\n"));
        assertThat(allowed(a, null, 80, "/usr/bin/curl")).isTrue();
        assertThat(allowed(a, null, 80, "/usr/local/bin/curl")).isFalse();
        assertThat(allowed(a, null, 80, "/bin/wget")).isTrue();
        assertThat(allowed(a, null, 80, "/usr/bin/python3")).isFalse();
        WorkloadAuthorizer not = egressOf(egress("no-python", "action: DENY\nrules:\n- when:\n"
                + "  - key: source.process\n    notValues: [curl]\n"));
        assertThat(allowed(not, null, 80, "/usr/bin/curl")).isTrue();
        assertThat(allowed(not, null, 80, "/usr/bin/python3")).isFalse();
    }

    @Test
    void denyComesFirstAndWithoutAllowPoliciesEverythingPasses() {
        String deny = egress("no-metadata", "action: DENY\nrules:\n- when:\n  - key: destination.ip\n"
                + "    values: [169.254.169.254]\n");
        assertThat(egressOf(deny).decideEgress(to(null, "203.0.113.7", 443, null)).reason())
                .isEqualTo(Decision.Reason.NO_ALLOW_POLICY);
        WorkloadAuthorizer a = egressOf(deny + egress("all", "rules:\n- {}\n"));
        Decision d = a.decideEgress(to(null, "169.254.169.254", 80, "/usr/bin/curl"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo(Decision.Reason.DENY_MATCHED);
        assertThat(d.decidedBy().id()).isEqualTo("ecs/no-metadata");
        assertThat(a.decideEgress(to(null, "203.0.113.7", 443, null)).reason())
                .isEqualTo(Decision.Reason.ALLOW_MATCHED);
        assertThat(egressOf(egress("deny-all", "action: ALLOW\n")).decideEgress(to("a.example", "203.0.113.7", 1, null))
                .allowed()).isFalse();
    }

    @Test
    void unknownHostsAndProcessesFailSafe() {
        String allowHost = egress("stripe", "rules:\n- to:\n  - operation: {hosts: [api.stripe.com]}\n");
        WorkloadAuthorizer a = egressOf(allowHost);
        assertThat(allowed(a, null, 443, "/usr/bin/java")).as("an IP-only connection never matches an ALLOW host")
                .isFalse();
        WorkloadAuthorizer deny = egressOf(egress("no-evil", "action: DENY\nrules:\n- to:\n"
                + "  - operation: {hosts: [evil.example], ports: ['443']}\n"));
        assertThat(allowed(deny, null, 443, null)).as("a DENY host rule matches IP-only on its ports").isFalse();
        assertThat(allowed(deny, null, 80, null)).isTrue();
        assertThat(allowed(deny, "good.example", 443, null)).isTrue();
        WorkloadAuthorizer java = egressOf(egress("java", "rules:\n- when:\n  - key: source.process\n"
                + "    values: [java]\n"));
        assertThat(allowed(java, "x", 443, null)).as("an unknown process never matches an ALLOW").isFalse();
        WorkloadAuthorizer noJava = egressOf(egress("no-java", "action: DENY\nrules:\n- when:\n"
                + "  - key: source.process\n    values: [java]\n  - key: destination.port\n    values: ['25']\n"));
        assertThat(allowed(noJava, "x", 25, null)).isFalse();
        assertThat(allowed(noJava, "x", 443, null)).isTrue();
    }

    @Test
    void theBestCaseSaysWhetherSomeNameCouldChangeTheOutcome() {
        WorkloadAuthorizer a = egressOf(egress("stripe", "rules:\n- to:\n  - operation: {hosts: [api.stripe.com]}\n"
                + "  when:\n  - key: source.process\n    values: [java]\n")
                + egress("no-evil", "action: DENY\nrules:\n- to:\n  - operation: {hosts: [evil.example]}\n"));
        assertThat(a.namesHosts()).isTrue();
        assertThat(a.decideEgress(to(null, "203.0.113.7", 443, "/usr/bin/java")).allowed()).isFalse();
        assertThat(a.decideEgress(to(null, "203.0.113.7", 443, "/usr/bin/java").anyHost()).allowed())
                .as("a name could let java through").isTrue();
        assertThat(a.decideEgress(to(null, "203.0.113.7", 443, "/usr/bin/curl").anyHost()).allowed())
                .as("no name lets curl through").isFalse();
        assertThat(egressOf(egress("ports", "rules:\n- to:\n  - operation: {ports: ['443']}\n")).namesHosts())
                .isFalse();
    }

    @Test
    void auditAndDryRunReportOnly() {
        String dry = egress("dry", "    istio.io/dry-run: \"true\"\n", "action: DENY\nrules:\n- to:\n"
                + "  - operation: {hosts: ['*.example']}\n");
        String audit = egress("audit", "action: AUDIT\nrules:\n- {}\n");
        Decision d = egressOf(dry + audit).decideEgress(to("a.example", "203.0.113.7", 443, null));
        assertThat(d.allowed()).isTrue();
        assertThat(d.dryRun()).extracting(PolicyRef::toString).containsExactly("ecs/dry (DENY, dry-run)");
        assertThat(d.dryRunWouldDeny()).isTrue();
        assertThat(d.audited()).extracting(PolicyRef::id).containsExactly("ecs/audit");
        assertThat(d.reportable()).isTrue();
    }

    @Test
    void inboundAndEgressPoliciesNeverMix() {
        String denyAllOut = egress("deny-out", "action: ALLOW\n");
        String denyAllIn = Authz.policy("deny-in", "ecs", "{}");
        AuthorizationEngine engine = AuthorizationEngine.compile(Authz.parse(denyAllOut + denyAllIn),
                AuthorizationEngine.DEFAULT_ROOT_NAMESPACE);
        assertThat(engine.forWorkload(Authz.ECHO).allowPolicies()).extracting(PolicyRef::id)
                .containsExactly("ecs/deny-in");
        assertThat(engine.forEgress(Authz.ECHO).allowPolicies()).extracting(PolicyRef::id)
                .containsExactly("ecs/deny-out");
        assertThat(AuthorizationEngine.compile(Authz.parse(denyAllOut), "istio-system").decideL4(Authz.ECHO,
                Authz.shell()).allowed()).isTrue();
        assertThat(AuthorizationEngine.compile(Authz.parse(denyAllIn), "istio-system").forEgress(Authz.ECHO)
                .policyCount()).isZero();
        assertThat(engine.forEgress(new Workload("ecs", java.util.Map.of("app", "web"), "web")).policyCount())
                .isZero();
    }
}
