// How long does the mesh take to decide one inbound connection (L4) and one HTTP request (L7) against Istio
// AuthorizationPolicies? (Targets from issue 15, with 100 policies: L4 <= 5 us, L7 <= 20 us.)
//
// Scenario: 100 policies that all apply to the workload (namespace ecs): 30 DENY policies (ipBlocks, notNamespaces,
// a namespace with a header) that do not match, 60 ALLOW policies for other callers (principals, ports, paths,
// methods, hosts), the ALLOW policy that admits the caller (an L7 rule, then an L4 one) and 9 more ALLOW policies
// (remoteIpBlocks) after it. Both decisions allow. "l4": a connection from
// spiffe://cluster.local/ns/ecs/sa/shell; "l7": a POST with a query, a Host with a port and 6 headers on it.
// Run: java -cp "ward-bench/target/classes:ward-bench/target/lib/*" org.openjdk.jmh.Main \
//     AuthorizationDecisionBenchmark -prof gc   (after ward-bench/jmh.sh has built; see docs/benchmarks.md)
package dev.ward.bench.mesh;

import dev.ward.policy.PolicyFiles;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.istio.AuthorizationEngine;
import dev.ward.policy.istio.Connection;
import dev.ward.policy.istio.Decision;
import dev.ward.policy.istio.HttpRequest;
import dev.ward.policy.istio.Workload;
import dev.ward.policy.istio.WorkloadAuthorizer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AuthorizationDecisionBenchmark {
    private WorkloadAuthorizer authz;
    private final Connection connection = new Connection();
    private final HttpRequest request = new HttpRequest();

    @Setup
    public void setUp() throws Exception {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            yaml.append(policy("deny-" + i, "action: DENY\nrules:\n- from:\n  - source: {ipBlocks: [192.168." + i
                    + ".0/24], notNamespaces: [ecs]}\n- from:\n  - source: {namespaces: [blocked-" + i + "]}\n"
                    + "  when:\n  - key: request.headers[x-block-" + i + "]\n    values: ['*']\n"));
        }
        for (int i = 0; i < 60; i++) {
            yaml.append(policy("allow-" + i, "rules:\n- from:\n  - source: {principals: [cluster.local/ns/team" + i
                    + "/sa/caller]}\n  to:\n  - operation: {ports: ['8080'], methods: [GET, POST], paths: ['/api/"
                    + i + "/*'], hosts: ['*.ecs.local:*']}\n"));
        }
        yaml.append(policy("allow-shell", "rules:\n- from:\n  - source: {principals: ['cluster.local/ns/ecs/sa/"
                + "shell'], namespaces: [ecs]}\n  to:\n  - operation: {ports: ['8080'], methods: [POST], paths: "
                + "['/orders*']}\n- from:\n  - source: {principals: ['cluster.local/ns/ecs/sa/shell']}\n  to:\n"
                + "  - operation: {ports: ['8080']}\n"));
        for (int i = 0; i < 9; i++) {
            yaml.append(policy("audit-free-" + i, "rules:\n- from:\n  - source: {remoteIpBlocks: ['2001:db8:" + i
                    + "::/48']}\n"));
        }
        Path f = Files.createTempFile("authz", ".yaml");
        Files.writeString(f, yaml);
        PolicyFiles files = PolicyLoader.loadAll(List.of(f));
        Files.delete(f);
        if (files.authorization().size() != 100) {
            throw new IllegalStateException("expected 100 policies, got " + files.authorization().size());
        }
        authz = AuthorizationEngine.compile(files.authorization(), AuthorizationEngine.DEFAULT_ROOT_NAMESPACE)
                .forWorkload(new Workload("ecs", Map.of("app", "echo"), "echo-service"));
        connection.peer("spiffe://cluster.local/ns/ecs/sa/shell").sourceIp(InetAddress.ofLiteral("10.0.0.5"))
                .destination(InetAddress.ofLiteral("10.0.1.9"), 8080);
        request.reset().method("POST").path("/orders/17?expand=items").authority("echo-service.ecs.local:8080")
                .header("content-type", "application/json").header("accept", "*/*").header("user-agent", "curl/8")
                .header("x-request-id", "0f6c").header("traceparent", "00-1-2-01").header("content-length", "42");
        if (!authz.decideL7(connection, request).allowed() || !authz.decideL4(connection).allowed()) {
            throw new IllegalStateException("the scenario does not decide as designed");
        }
    }

    @Benchmark
    public Decision l4() {
        return authz.decideL4(connection);
    }

    @Benchmark
    public Decision l7() {
        return authz.decideL7(connection, request);
    }

    private static String policy(String name, String spec) {
        return "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: " + name
                + "\n  namespace: ecs\nspec:\n" + spec.indent(2) + "---\n";
    }
}
