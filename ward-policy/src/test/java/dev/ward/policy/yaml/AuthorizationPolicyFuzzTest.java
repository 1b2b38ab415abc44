package dev.ward.policy.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.Problem;
import dev.ward.policy.istio.AuthorizationEngine;
import dev.ward.policy.istio.Connection;
import dev.ward.policy.istio.HttpRequest;
import dev.ward.policy.istio.Workload;
import dev.ward.policy.istio.WorkloadAuthorizer;
import dev.ward.policy.testing.Fuzz;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated AuthorizationPolicies never crash or hang the parser, and whatever loads compiles and decides. Seeded
 * (the case number is in the message); each input runs within {@link Fuzz#PER_INPUT} on a 256 KiB stack.
 */
class AuthorizationPolicyFuzzTest {
    /** The lint test's header, in v1beta1 with an annotation, and a rule that uses every kind of field. */
    private static final String RICH = AuthorizationPolicyLintTest.HEAD
            .replace("security.istio.io/v1\n", "security.istio.io/v1beta1\n")
            .replace("  namespace: ecs\n", "  namespace: ecs\n  annotations: {istio.io/dry-run: \"false\"}\n") + """
              selector: {matchLabels: {app: echo}}
              action: DENY
              rules:
              - from:
                - source: {principals: ['*/sa/x'], notNamespaces: [ecs], ipBlocks: [10.0.0.0/8, '::1']}
                to:
                - operation: {ports: ['80'], methods: [GET], paths: ['/a*', '*/b'], hosts: ['*.local:*']}
                when:
                - key: request.headers[x-a]
                  values: ['1']
                - key: destination.port
                  notValues: ['9']
            """;

    @Test
    void mutatedAuthorizationPoliciesNeverCrashOrHang() throws Exception {
        List<String> seeds = List.of(RICH, Files.readString(Path.of("").toAbsolutePath()
                .resolveSibling("examples/istio/seed-003.yaml")));
        List<Problem> seedErrors = new ArrayList<>();
        assertThat(PolicyDocuments.parse(RICH, "rich.yaml", seedErrors, new ArrayList<>()).authorization()).hasSize(1);
        assertThat(seedErrors).extracting(Problem::format).isEmpty();
        Random r = new Random(20261205);
        for (int i = 0; i < 1500; i++) {
            String input = Fuzz.mutate(seeds.get(r.nextInt(seeds.size())), r);
            String label = "case " + i;
            Fuzz.bounded(label, input, Fuzz.PER_INPUT, () -> {
                check(input, label);
                return null;
            });
        }
    }

    private static void check(String input, String label) {
        List<Problem> errors = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        PolicyDocuments.Parsed parsed;
        try {
            parsed = PolicyDocuments.parse(input, "fuzz.yaml", errors, warnings);
        } catch (RuntimeException e) {
            throw new AssertionError(label + ": parser threw " + e + " on:\n" + input, e);
        }
        for (Problem p : errors) {
            assertThat(p.code()).as(label).matches("WP0\\d\\d");
            assertThat(p.format()).as(label).isNotEmpty();
        }
        WorkloadAuthorizer a = AuthorizationEngine.compile(parsed.authorization(), "istio-system")
                .forWorkload(new Workload("ecs", Map.of("app", "echo"), "echo-service"));
        Connection c = new Connection().peer("spiffe://cluster.local/ns/ecs/sa/x")
                .sourceIp(InetAddress.ofLiteral("10.1.2.3")).destination(InetAddress.ofLiteral("10.0.0.1"), 80);
        a.decideL4(c);
        a.decideL7(c, new HttpRequest().method("GET").path("/a/../b?x").authority("e.local:80").header("X-A", "1"));
    }
}
