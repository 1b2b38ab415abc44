package dev.ward.relay.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.api.Identity;
import dev.ward.api.telemetry.Telemetry;
import dev.ward.mesh.InboundAuthorizer;
import dev.ward.mesh.SpiffeId;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.istio.AuthorizationPolicy;
import dev.ward.policy.istio.AuthzAction;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The inbound authorization swapped live: files merged with the relay's set, each new set for new tunnels. */
class LiveAuthorizationTest {
    private static final SpiffeId SERVER = SpiffeId.parse("spiffe://cluster.local/ns/demo/sa/server");
    private static final SpiffeId CLIENT = SpiffeId.parse("spiffe://cluster.local/ns/demo/sa/client");
    private static final SpiffeId OTHER = SpiffeId.parse("spiffe://cluster.local/ns/demo/sa/other");
    private static final String DENY_ALL = policy("deny-all", "spec: {}");
    private static final String ALLOW_CLIENT = policy("allow-client", """
            spec:
              action: ALLOW
              rules:
              - from:
                - source:
                    principals: ["cluster.local/ns/demo/sa/client"]
            """);

    private final List<Telemetry> alerts = new CopyOnWriteArrayList<>();
    private final MeshTelemetry telemetry = new MeshTelemetry(new Identity("host-1", "server",
            Map.of(Identity.CONTAINER_NAME_LABEL, "server")), alerts::add);

    @Test
    void refusesUntilStartedThenFollowsEachRelaySetWithoutARestart() throws Exception {
        LiveAuthorization live = live(List.of());
        assertThat(allows(live, CLIENT)).as("no identity yet: nothing is decided for it").isFalse();
        live.start(SERVER);
        assertThat(allows(live, CLIENT)).as("no policy at all").isTrue();

        assertThat(live.replaceRelayPolicies(parse(DENY_ALL))).isEqualTo(1);
        assertThat(allows(live, CLIENT)).isFalse();
        assertThat(alerts).isNotEmpty();

        live.replaceRelayPolicies(parse(DENY_ALL + "---\n" + ALLOW_CLIENT));
        assertThat(allows(live, CLIENT)).isTrue();
        assertThat(allows(live, OTHER)).isFalse();

        live.replaceRelayPolicies(List.of());
        assertThat(allows(live, OTHER)).isTrue();
    }

    @Test
    void aRelaySetWithL7FieldsIsDecidedPerRequestOnNewTunnels() throws Exception {
        LiveAuthorization live = live(List.of());
        live.start(SERVER);
        InboundAuthorizer.Request tunnel = new InboundAuthorizer.Request(CLIENT,
                new InetSocketAddress("10.0.0.1", 40000), new InetSocketAddress("10.0.0.2", 8080));
        assertThat(live.http(tunnel)).as("no L7 policy: the tunnel is decided once, nothing parsed").isNull();
        live.replaceRelayPolicies(parse(policy("post-only", """
                spec:
                  action: ALLOW
                  rules:
                  - to:
                    - operation:
                        methods: ["POST"]
                """)));
        assertThat(live.http(tunnel)).as("the relay's POST-only policy reaches new tunnels").isNotNull();
        live.replaceRelayPolicies(List.of());
        assertThat(live.http(tunnel)).isNull();
    }

    @Test
    void aRelayPolicyReplacesTheFilePolicyOfTheSameNameAndTheFileOneReturnsWhenTheRelayDropsIt() throws Exception {
        LiveAuthorization live = live(parse(DENY_ALL));
        live.start(SERVER);
        assertThat(allows(live, CLIENT)).isFalse();
        String allowAllUnderTheSameName = policy("deny-all", """
                spec:
                  action: ALLOW
                  rules:
                  - {}
                """);
        assertThat(live.replaceRelayPolicies(parse(allowAllUnderTheSameName))).isEqualTo(1);
        assertThat(allows(live, CLIENT)).isTrue();
        live.replaceRelayPolicies(List.of());
        assertThat(allows(live, CLIENT)).isFalse();
    }

    @Test
    void aSetFromTheRelayBeforeTheCertificateIsInForceOnceStarted() throws Exception {
        LiveAuthorization live = live(List.of());
        live.replaceRelayPolicies(parse(DENY_ALL + "---\n" + ALLOW_CLIENT));
        live.start(SERVER);
        assertThat(allows(live, CLIENT)).isTrue();
        assertThat(allows(live, OTHER)).isFalse();
    }

    @Test
    void theRelayWinsOverAFileOnlyForTheSameNamespaceAndName() throws Exception {
        List<AuthorizationPolicy> merged = LiveAuthorization.merge(parse(DENY_ALL + "---\n" + ALLOW_CLIENT),
                parse(policy("deny-all", "spec:\n  action: DENY\n  rules:\n  - {}\n")));
        assertThat(merged).extracting(AuthorizationPolicy::id).containsExactly("demo/deny-all", "demo/allow-client");
        assertThat(merged.getFirst().action()).as("the relay's version").isEqualTo(AuthzAction.DENY);
    }

    private LiveAuthorization live(List<AuthorizationPolicy> files) {
        return new LiveAuthorization(files, "istio-system", Map.of("app", "server"), "server", telemetry);
    }

    private static boolean allows(InboundAuthorizer authorizer, SpiffeId peer) {
        return authorizer.allow(new InboundAuthorizer.Request(peer, new InetSocketAddress("10.0.0.1", 40000),
                new InetSocketAddress("10.0.0.2", 8080)));
    }

    private static List<AuthorizationPolicy> parse(String yaml) throws Exception {
        return PolicyLoader.parseAll(yaml, "relay").authorization();
    }

    private static String policy(String name, String spec) {
        return """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: %s
                  namespace: demo
                """.formatted(name) + spec + (spec.endsWith("\n") ? "" : "\n");
    }
}
