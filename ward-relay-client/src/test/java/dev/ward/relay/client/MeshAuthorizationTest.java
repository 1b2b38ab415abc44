package dev.ward.relay.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.api.Identity;
import dev.ward.api.telemetry.Telemetry;
import dev.ward.mesh.HttpHead;
import dev.ward.mesh.InboundAuthorizer;
import dev.ward.mesh.InboundHttp;
import dev.ward.mesh.SpiffeId;
import dev.ward.policy.Problem;
import dev.ward.policy.istio.AuthorizationPolicy;
import dev.ward.policy.yaml.PolicyDocuments;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-request decision and its alerts, with real AuthorizationPolicies: seed 003's POST-only rule, ztunnel's
 * fail-safe for traffic that is not HTTP, and the L4-only path when no policy has an L7 field.
 */
class MeshAuthorizationTest {
    private static final SpiffeId SELF = SpiffeId.parse("spiffe://cluster.local/ns/demo/sa/server");
    private static final SpiffeId CLIENT = SpiffeId.parse("spiffe://cluster.local/ns/demo/sa/client");
    private static final InboundAuthorizer.Request TUNNEL = new InboundAuthorizer.Request(CLIENT,
            new InetSocketAddress("10.0.0.2", 40000), new InetSocketAddress("10.0.0.3", 8080));
    private static final String POST_ONLY = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: post-only, namespace: demo}
            spec:
              action: ALLOW
              rules:
              - from: [{source: {principals: ["cluster.local/ns/demo/sa/client"]}}]
                to: [{operation: {methods: ["POST"]}}]
            """;
    private static final String DENY_ADMIN = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: no-admin, namespace: demo}
            spec:
              action: DENY
              rules:
              - to: [{operation: {paths: ["/admin*"]}}]
            """;

    private final List<Telemetry> alerts = new ArrayList<>();

    @Test
    void postOnlyAllowsPostAndDeniesGetWithAnAlertNamingMethodAndPath() {
        InboundHttp http = authorizer(POST_ONLY).http(TUNNEL);
        assertThat(http.request(head("POST", "/orders"))).isEqualTo(InboundHttp.Verdict.ALLOW);
        assertThat(alerts).isEmpty();
        assertThat(http.request(head("GET", "/orders?id=7"))).isEqualTo(InboundHttp.Verdict.DENY);
        Telemetry t = alerts.getFirst();
        assertThat(t.type).isEqualTo(Telemetry.TYPE_ALERT);
        assertThat(t.policyName).isEqualTo("demo/post-only");
        assertThat(t.action).isEqualTo("Block");
        assertThat(t.operation).isEqualTo("Network");
        assertThat(t.resource).isEqualTo("GET /orders?id=7");
        assertThat(t.data).contains("source=" + CLIENT, "destination=" + SELF, "remoteip=10.0.0.2",
                "protocol=HTTP", "request=\"GET /orders?id=7\"", "reason=no_allow_matched", "http=403");
    }

    @Test
    void aPathWithANulIsABadRequestWithoutADecision() {
        InboundHttp http = authorizer(POST_ONLY).http(TUNNEL);
        assertThat(http.request(head("POST", "/a%00b"))).isEqualTo(InboundHttp.Verdict.BAD_REQUEST);
        assertThat(alerts).isEmpty();
    }

    @Test
    void trafficThatIsNotHttpNeverMatchesAnAllowRuleWithL7Fields() {
        assertThat(authorizer(POST_ONLY).http(TUNNEL).unparsed("not http")).isFalse();
        assertThat(alerts.getFirst().resource).isEqualTo("remoteip=10.0.0.2 port=40000 protocol=TCP");
        assertThat(alerts.getFirst().data).contains("l7=unparsed(not http)");
    }

    @Test
    void aDenyRuleWithL7FieldsMatchesTrafficThatIsNotHttpAtL4() {
        InboundHttp http = authorizer(DENY_ADMIN).http(TUNNEL);
        assertThat(http.request(head("GET", "/public"))).isEqualTo(InboundHttp.Verdict.ALLOW);
        assertThat(http.request(head("GET", "/admin/users"))).isEqualTo(InboundHttp.Verdict.DENY);
        assertThat(http.unparsed("h2c")).isFalse();
        assertThat(alerts).extracting(a -> a.policyName).containsExactly("demo/no-admin", "demo/no-admin");
    }

    @Test
    void withoutL7FieldsTheTunnelIsDecidedOnceAtL4() {
        String l4 = POST_ONLY.replace("    to: [{operation: {methods: [\"POST\"]}}]\n", "");
        InboundAuthorizer a = authorizer(l4);
        assertThat(a.http(TUNNEL)).isNull();
        assertThat(a.allow(TUNNEL)).isTrue();
        assertThat(a.allow(new InboundAuthorizer.Request(SELF, TUNNEL.source(), TUNNEL.destination()))).isFalse();
        assertThat(alerts.getFirst().data).contains("hbone=401");
    }

    private InboundAuthorizer authorizer(String yaml) {
        List<Problem> errors = new ArrayList<>();
        List<AuthorizationPolicy> policies = PolicyDocuments.parse(yaml, "test.yaml", errors, new ArrayList<>())
                .authorization();
        assertThat(errors).isEmpty();
        MeshTelemetry telemetry = new MeshTelemetry(new Identity("host", "server", Map.of()), alerts::add);
        return MeshAuthorization.of(policies, "istio-system", SELF, Map.of(), "server", telemetry);
    }

    private static HttpHead head(String method, String path) {
        return new HttpHead() {
            @Override
            public CharSequence method() {
                return method;
            }

            @Override
            public CharSequence path() {
                return path;
            }

            @Override
            public CharSequence authority() {
                return "server.demo:8080";
            }

            @Override
            public CharSequence version() {
                return "HTTP/1.1";
            }

            @Override
            public int headerCount() {
                return 1;
            }

            @Override
            public CharSequence headerName(int i) {
                return "host";
            }

            @Override
            public CharSequence headerValue(int i) {
                return "server.demo:8080";
            }
        };
    }
}
