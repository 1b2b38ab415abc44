package dev.ward.relay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.api.Identity;
import dev.ward.api.telemetry.Telemetry;
import dev.ward.mesh.EgressAuthorizer;
import dev.ward.mesh.MeshConnection.Via;
import dev.ward.mesh.SpiffeId;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.istio.AuthorizationPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The egress policies swapped live: files merged with the relay's set, each new set for new connections. */
class LiveEgressTest {
    private static final SpiffeId SELF = SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/payment");
    private static final InetSocketAddress OUTSIDE = new InetSocketAddress(InetAddress.ofLiteral("203.0.113.7"), 443);
    private static final InetSocketAddress ALLOWED = new InetSocketAddress(InetAddress.ofLiteral("192.0.2.9"), 443);
    private static final String ONLY_ALLOWED = egress("only-allowed", """
            spec:
              action: ALLOW
              rules:
              - when: [{key: destination.ip, values: [192.0.2.9]}]
            """);
    private static final String INBOUND_DENY_ALL = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: deny-all, namespace: shop}
            spec: {}
            """;

    private final List<Telemetry> alerts = new CopyOnWriteArrayList<>();
    private final MeshTelemetry telemetry = new MeshTelemetry(new Identity("host-1", "payment", Map.of()),
            alerts::add);

    @Test
    void decidesNothingUntilStartedThenFollowsEachRelaySetWithoutARestart() throws Exception {
        LiveEgress live = live(List.of());
        assertThat(live.replaceRelayPolicies(parse(ONLY_ALLOWED))).isEqualTo(1);
        assertThat(live.on()).as("no identity yet: no policy selects it").isFalse();
        assertThat(live.allow(request(OUTSIDE))).isTrue();
        live.start(SELF);
        assertThat(live.on()).isTrue();
        assertThat(live.allow(request(OUTSIDE))).isFalse();
        assertThat(live.allow(request(ALLOWED))).isTrue();
        assertThat(alerts).singleElement().satisfies(t -> {
            assertThat(t.action).isEqualTo("Block");
            assertThat(t.policyName).isEqualTo("shop/only-allowed");
        });

        assertThat(live.replaceRelayPolicies(parse(INBOUND_DENY_ALL))).as("an inbound policy only").isZero();
        assertThat(live.on()).isFalse();
        assertThat(live.current()).isNull();
        assertThat(live.allow(request(OUTSIDE))).isTrue();

        live.replaceRelayPolicies(parse(ONLY_ALLOWED + "---\n" + INBOUND_DENY_ALL));
        assertThat(live.current()).isNotNull();
        assertThat(live.current().connect(OUTSIDE, 7, "/bin/curl")).isEqualTo(dev.ward.api.spi.ConnectCapture.EACCES);
        live.replaceRelayPolicies(List.of());
        assertThat(live.current()).isNull();
    }

    @Test
    void aRelayPolicyReplacesTheFilePolicyOfTheSameNameAndTheFileOneReturnsWhenTheRelayDropsIt() throws Exception {
        LiveEgress live = live(parse(ONLY_ALLOWED));
        live.start(SELF);
        assertThat(live.allow(request(OUTSIDE))).isFalse();
        assertThat(live.replaceRelayPolicies(parse(egress("only-allowed", """
                spec:
                  action: ALLOW
                  rules:
                  - when: [{key: destination.ip, values: [203.0.113.0/24]}]
                """)))).isEqualTo(1);
        assertThat(live.allow(request(OUTSIDE))).isTrue();
        assertThat(live.allow(request(ALLOWED))).isFalse();
        live.replaceRelayPolicies(List.of());
        assertThat(live.allow(request(OUTSIDE))).isFalse();
        assertThat(live.allow(request(ALLOWED))).isTrue();
    }

    @Test
    void aPreparedSetIsNotInForceUntilPublishedAndIsCompiledForAnIdentityLearnedMeanwhile() throws Exception {
        LiveEgress live = live(List.of());
        LiveEgress.Pending pending = live.prepare(parse(ONLY_ALLOWED));
        live.start(SELF);
        assertThat(live.on()).isFalse();
        assertThat(live.publish(pending)).isEqualTo(1);
        assertThat(live.allow(request(OUTSIDE))).isFalse();

        LiveEgress.Pending drop = live.prepare(List.of());
        assertThat(live.allow(request(OUTSIDE))).as("prepared only").isFalse();
        live.publish(drop);
        assertThat(live.allow(request(OUTSIDE))).isTrue();
    }

    @Test
    void aSetThatCannotBeCompiledLeavesThePreviousInForce() throws Exception {
        LiveEgress live = live(List.of());
        live.start(SELF);
        live.replaceRelayPolicies(parse(ONLY_ALLOWED));
        List<AuthorizationPolicy> broken = parse(ONLY_ALLOWED);
        broken.add(null);
        assertThatThrownBy(() -> live.replaceRelayPolicies(broken)).isInstanceOf(RuntimeException.class);
        assertThat(live.allow(request(OUTSIDE))).isFalse();
        assertThat(live.allow(request(ALLOWED))).isTrue();
    }

    private LiveEgress live(List<AuthorizationPolicy> files) {
        return new LiveEgress(files, "istio-system", Map.of("service", "payment"), "payment", telemetry);
    }

    private static EgressAuthorizer.Request request(InetSocketAddress destination) {
        return new EgressAuthorizer.Request(Via.SOCKS5, null, null, destination, 7, "/bin/curl");
    }

    private static List<AuthorizationPolicy> parse(String yaml) throws Exception {
        return new java.util.ArrayList<>(PolicyLoader.parseAll(yaml, "relay").authorization());
    }

    private static String egress(String name, String spec) {
        return """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: %s
                  namespace: shop
                  annotations: {ward.dev/direction: egress}
                """.formatted(name) + spec;
    }
}
