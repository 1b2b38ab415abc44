package dev.ward.relay;

import static dev.ward.relay.MeshTesting.csr;
import static dev.ward.relay.MeshTesting.ec;
import static dev.ward.relay.MeshTesting.sign;
import static dev.ward.relay.MeshTesting.withToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ward mesh enroll, bind and list end to end against a relay on loopback. */
class MeshCliTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/cart-task";

    @TempDir
    Path dir;
    NettyRelay relay;
    Map<String, String> admin;
    ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        relay = new NettyRelay(dir.resolve("relay.db"), 0,
                RelayServer.Settings.of(TestRelay.AGENT_TOKEN, TestRelay.ADMIN_TOKEN, null));
        admin = Map.of("WARD_RELAY", relay.address(), "WARD_RELAY_ADMIN_TOKEN", TestRelay.ADMIN_TOKEN);
        channel = NettyChannelBuilder.forTarget(relay.address()).usePlaintext().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        relay.close();
    }

    @Test
    void enrollPrintsATokenThatEarnsTheIdentityOnce() throws Exception {
        var enroll = NettyRelay.run(new MeshEnrollCommand(), admin, "shop/cart", "--valid", "1h", "--uses", "1");
        assertThat(enroll.exit()).as(enroll.err()).isZero();
        String token = enroll.out().strip();
        assertThat(token).startsWith("wmesh_").doesNotContain("\n");
        assertThat(enroll.err()).contains("spiffe://cluster.local/ns/shop/sa/cart: enrollment token for 1 agent")
                .contains("WARD_MESH_TOKEN");
        assertThat(sign(channel, withToken(csr(ec()), "agent-1", token)).getSpiffeId())
                .isEqualTo("spiffe://cluster.local/ns/shop/sa/cart");

        var bad = NettyRelay.run(new MeshEnrollCommand(), admin, "shop");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("'shop': expected NAMESPACE/SERVICE_ACCOUNT");
        var badName = NettyRelay.run(new MeshEnrollCommand(), admin, "shop/c@rt");
        assertThat(badName.exit()).isEqualTo(1);
        assertThat(badName.err()).contains("INVALID_ARGUMENT").contains("service account 'c@rt'");
        var forever = NettyRelay.run(new MeshEnrollCommand(), admin, "shop/cart", "--valid", "1000d");
        assertThat(forever.exit()).isEqualTo(1);
        assertThat(forever.err()).contains("expected up to 366 days");
        var noToken = NettyRelay.run(new MeshEnrollCommand(), Map.of("WARD_RELAY", relay.address()), "shop/cart");
        assertThat(noToken.exit()).isEqualTo(1);
        assertThat(noToken.err()).contains("mesh administration needs the relay's admin token");
    }

    @Test
    void bindValidatesTheRoleAndListShowsBindingsWorkloadsAndRoots() throws Exception {
        var badArn = NettyRelay.run(new MeshBindCommand(), admin, "shop/cart", "--role", "arn:aws:iam::1234:role/x");
        assertThat(badArn.exit()).isEqualTo(1);
        assertThat(badArn.err()).contains("expected an IAM role ARN, arn:aws:iam::ACCOUNT:role/NAME");
        var bind = NettyRelay.run(new MeshBindCommand(), admin, "shop/cart", "--role", ROLE);
        assertThat(bind.out()).as(bind.err()).contains("spiffe://cluster.local/ns/shop/sa/cart: bound to " + ROLE);
        var taken = NettyRelay.run(new MeshBindCommand(), admin, "shop/db", "--role", ROLE);
        assertThat(taken.exit()).isEqualTo(1);
        assertThat(taken.err()).contains("already bound to spiffe://cluster.local/ns/shop/sa/cart");

        String token = NettyRelay.run(new MeshEnrollCommand(), admin, "shop/cart").out().strip();
        sign(channel, withToken(csr(ec()), "agent-1", token));
        TestRelay.FakeAgent agent = MeshDiscoveryTest.agent(channel, "agent-1", "cart");
        agent.meshStatus(MeshDiscoveryTest.status("spiffe://cluster.local/ns/shop/sa/cart", "10.1.2.3", 0));
        MeshDiscoveryTest.next(agent);

        var list = NettyRelay.run(new MeshListCommand(), admin);
        assertThat(list.out()).as(list.err()).contains("trust domain cluster.local, 1 trust root, 1 certificates issued")
                .containsPattern("spiffe://cluster.local/ns/shop/sa/cart +cart +10\\.1\\.2\\.3 +15008 +agent-1")
                .contains("1 workload").contains(ROLE).contains("1 bound identity");
        JsonNode json = new ObjectMapper().readTree(NettyRelay.run(new MeshListCommand(), admin, "-o", "json").out());
        assertThat(json.get("trustDomain").asText()).isEqualTo("cluster.local");
        assertThat(json.get("workloads").get(0).get("addresses").get(0).asText()).isEqualTo("10.1.2.3");
        assertThat(json.get("bindings").get(0).get("roleArns").get(0).asText()).isEqualTo(ROLE);
        assertThat(json.get("trustRoots").get(0).asText()).startsWith("-----BEGIN CERTIFICATE-----");

        var remove = NettyRelay.run(new MeshBindCommand(), admin, "shop/cart", "--role", ROLE, "--remove");
        assertThat(remove.out()).contains("spiffe://cluster.local/ns/shop/sa/cart: no role bound");
        assertThat(NettyRelay.run(new MeshBindCommand(), admin, "shop/cart", "--role", ROLE, "--remove").err())
                .contains("NOT_FOUND").contains("is not bound to " + ROLE);
        agent.disconnect();
    }
}
