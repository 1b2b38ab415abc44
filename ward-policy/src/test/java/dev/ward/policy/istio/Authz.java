package dev.ward.policy.istio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.Problem;
import dev.ward.policy.yaml.PolicyDocuments;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helpers: AuthorizationPolicy YAML to a workload's authorizer, and requests in one line. */
final class Authz {
    static final Workload ECHO = new Workload("ecs", Map.of("app", "echo", "version", "v1"), "echo-service");

    private Authz() {
    }

    /** A policy document: {@code spec} is the body under {@code spec:}, indented by two spaces. */
    static String policy(String name, String namespace, String spec) {
        return "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: " + name
                + "\n  namespace: " + namespace + "\nspec:\n" + spec.indent(2) + "---\n";
    }

    static List<AuthorizationPolicy> parse(String yaml) {
        List<Problem> errors = new ArrayList<>();
        PolicyDocuments.Parsed d = PolicyDocuments.parse(yaml, "test.yaml", errors, new ArrayList<>());
        assertThat(errors).extracting(Problem::format).isEmpty();
        return d.authorization();
    }

    static WorkloadAuthorizer authorizer(String yaml) {
        return AuthorizationEngine.compile(parse(yaml), AuthorizationEngine.DEFAULT_ROOT_NAMESPACE)
                .forWorkload(ECHO);
    }

    /** A connection from {@code peer} (null: no identity) at 10.0.0.5 to 10.0.1.9:{@code port}. */
    static Connection from(String peer, int port) {
        return new Connection().peer(peer).sourceIp(ip("10.0.0.5")).destination(ip("10.0.1.9"), port);
    }

    static Connection shell() {
        return from("spiffe://cluster.local/ns/ecs/sa/shell", 8080);
    }

    static HttpRequest http(String method, String path) {
        return new HttpRequest().method(method).path(path).authority("echo-service.ecs.local:8080");
    }

    static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
