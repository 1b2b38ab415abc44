package dev.ward.relay.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.api.Identity;
import dev.ward.api.spi.ConnectCapture;
import dev.ward.api.telemetry.Telemetry;
import dev.ward.mesh.EgressAuthorizer;
import dev.ward.mesh.InboundPeerTable;
import dev.ward.mesh.MeshConnection.Via;
import dev.ward.mesh.MeshPeer;
import dev.ward.mesh.SpiffeId;
import dev.ward.policy.Problem;
import dev.ward.policy.istio.AuthorizationPolicy;
import dev.ward.policy.yaml.PolicyDocuments;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The agent's egress decisions: the proxy's (with the name) and the tracer's (by address, through the redirect
 * table, never for a mesh peer), the alerts they make, and that a workload no egress policy selects has none.
 */
class MeshEgressTest {
    private static final SpiffeId SELF = new SpiffeId("cluster.local", "shop", "payment");
    private static final String POLICIES = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: payment-to-stripe
              namespace: shop
              annotations: {ward.dev/direction: egress}
            spec:
              selector: {matchLabels: {service: payment}}
              rules:
              - to: [{operation: {hosts: [api.stripe.com], ports: ["443"]}}]
                when: [{key: source.process, values: [java]}]
              - when: [{key: destination.ip, values: [10.9.0.0/16]}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: deny-all-inbound, namespace: shop}
            spec: {}
            """;
    private final List<Telemetry> alerts = new CopyOnWriteArrayList<>();
    private final MeshTelemetry telemetry = new MeshTelemetry(new Identity("host-1", "payment", Map.of()),
            alerts::add);

    @Test
    void theProxyDecidesByNameAndProcessAndAlertsOnDenial() {
        MeshEgress egress = egress(Map.of("service", "payment"));
        InetSocketAddress stripe = new InetSocketAddress(InetAddress.ofLiteral("203.0.113.7"), 443);
        assertThat(egress.allow(new EgressAuthorizer.Request(Via.SOCKS5, null, "api.stripe.com", stripe, 41,
                "/usr/lib/jvm/bin/java"))).isTrue();
        assertThat(alerts).isEmpty();
        assertThat(egress.allow(new EgressAuthorizer.Request(Via.SOCKS5, null, "api.stripe.com", stripe, 42,
                "/usr/bin/curl"))).isFalse();
        Telemetry t = alerts.getFirst();
        assertThat(t.type).isEqualTo(Telemetry.TYPE_ALERT);
        assertThat(t.policyName).isEqualTo("shop/payment-to-stripe");
        assertThat(t.action).isEqualTo("Block");
        assertThat(t.result).isEqualTo("Permission denied");
        assertThat(t.pid).isEqualTo(42);
        assertThat(t.processName).isEqualTo("/usr/bin/curl");
        assertThat(t.resource).isEqualTo("remoteip=203.0.113.7 port=443 protocol=TCP");
        assertThat(t.data).isEqualTo("direction=egress via=socks5 source=spiffe://cluster.local/ns/shop/sa/payment "
                + "host=api.stripe.com port=443 reason=no_allow_matched");
    }

    @Test
    void theTracerDecidesByAddressAndNeverForMeshPeers() {
        InetAddress peer = InetAddress.ofLiteral("10.9.0.5");
        MeshEgress[] policies = {null};
        RedirectTable table = new RedirectTable(ip -> ip.equals(peer) ? Optional.of(new MeshPeer(SELF,
                new InetSocketAddress(peer, 15008), "peer")) : Optional.empty(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 15001), true, false, p -> false,
                new InboundPeerTable(), () -> policies[0]);
        InetSocketAddress stripe = new InetSocketAddress(InetAddress.ofLiteral("203.0.113.7"), 443);
        assertThat(table.egressOn()).isFalse();
        assertThat(table.egress(stripe, 7, "/usr/bin/java")).isZero();
        policies[0] = egress(Map.of("service", "payment"));
        assertThat(table.egressOn()).isTrue();
        assertThat(table.egress(stripe, 7, "/usr/bin/java")).as("hosts are unknown: the ALLOW rule cannot match")
                .isEqualTo(ConnectCapture.EACCES);
        assertThat(table.egress(new InetSocketAddress(InetAddress.ofLiteral("10.9.1.1"), 5432), 7, "/bin/psql"))
                .isZero();
        assertThat(table.egress(new InetSocketAddress(InetAddress.ofLiteral("192.0.2.1"), 5432), 7, "/bin/psql"))
                .isEqualTo(ConnectCapture.EACCES);
        assertThat(table.egress(new InetSocketAddress(InetAddress.ofLiteral("203.0.113.7"), 443), 7, ""))
                .isEqualTo(ConnectCapture.EACCES);
        assertThat(alerts).hasSize(3).allSatisfy(t -> assertThat(t.data).startsWith("direction=egress via=captured "));
        assertThat(table.redirect(new InetSocketAddress(peer, 80), 7)).isNotNull();
        assertThat(alerts).hasSize(3);
    }

    @Test
    void aDirectConnectGoesToTheCapturePortOnlyWhenItsNameCouldChangeTheOutcome() {
        MeshEgress policies = MeshEgress.of(parse(POLICIES.replace("values: [java]", "values: [" + self() + "]")),
                "istio-system", SELF, Map.of("service", "payment"), "payment", telemetry);
        RedirectTable table = new RedirectTable(ip -> Optional.empty(), new InetSocketAddress(
                InetAddress.getLoopbackAddress(), 15001), true, false, p -> false, new InboundPeerTable(),
                () -> policies);
        int me = (int) ProcessHandle.current().pid();
        assertThat(table.redirect(new InetSocketAddress(InetAddress.ofLiteral("203.0.113.7"), 443), me))
                .as("this JVM may reach api.stripe.com:443: the name decides").isNotNull();
        assertThat(table.redirect(new InetSocketAddress(InetAddress.ofLiteral("203.0.113.7"), 80), me))
                .as("no name opens port 80").isNull();
        assertThat(table.redirect(new InetSocketAddress(InetAddress.ofLiteral("10.9.1.1"), 80), me))
                .as("allowed by address").isNull();
        assertThat(alerts).isEmpty();
    }

    private static String self() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    @Test
    void aWorkloadNoEgressPolicySelectsHasNone() {
        assertThat(egress(Map.of("service", "web"))).isNull();
        assertThat(MeshEgress.of(parse(POLICIES.substring(POLICIES.indexOf("---"))), "istio-system", SELF, Map.of(),
                "payment", telemetry)).isNull();
    }

    private MeshEgress egress(Map<String, String> labels) {
        return MeshEgress.of(parse(POLICIES), "istio-system", SELF, labels, "payment", telemetry);
    }

    private static List<AuthorizationPolicy> parse(String yaml) {
        List<Problem> errors = new ArrayList<>();
        List<AuthorizationPolicy> out = PolicyDocuments.parse(yaml, "p.yaml", errors, new ArrayList<>())
                .authorization();
        assertThat(errors).extracting(Problem::format).isEmpty();
        return out;
    }
}
