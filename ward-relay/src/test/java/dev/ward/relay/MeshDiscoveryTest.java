package dev.ward.relay;

import static dev.ward.relay.MeshTesting.csr;
import static dev.ward.relay.MeshTesting.ec;
import static dev.ward.relay.MeshTesting.enroll;
import static dev.ward.relay.MeshTesting.sign;
import static dev.ward.relay.MeshTesting.withToken;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.relay.api.Hello;
import dev.ward.relay.api.MeshListRequest;
import dev.ward.relay.api.MeshStatus;
import dev.ward.relay.api.MeshUpdate;
import dev.ward.relay.api.MeshWorkload;
import dev.ward.relay.api.RelayAdminGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery over real gRPC: an agent's MeshStatus is accepted only for the identity it was issued; every agent that
 * reported gets the whole mesh at once and on every change, and a workload leaves when its agent disconnects.
 */
class MeshDiscoveryTest {
    private static final String CART = "spiffe://cluster.local/ns/shop/sa/cart";
    private static final String DB = "spiffe://cluster.local/ns/shop/sa/db";

    @TempDir
    Path dir;

    @Test
    void theMeshReachesEveryReportingAgentAndForgetsOneThatLeaves() throws Exception {
        try (NettyRelay relay = new NettyRelay(dir.resolve("relay.db"), 0, RelayServer.Settings.of(
                TestRelay.AGENT_TOKEN, TestRelay.ADMIN_TOKEN, null))) {
            ManagedChannel channel = NettyChannelBuilder.forTarget(relay.address()).usePlaintext().build();
            try {
                sign(channel, withToken(csr(ec()), "agent-cart", enroll(channel, "shop", "cart", 0, 2)));
                sign(channel, withToken(csr(ec()), "agent-db", enroll(channel, "shop", "db", 0, 1)));
                TestRelay.FakeAgent db = agent(channel, "agent-db", "db");
                db.meshStatus(status(DB, "10.0.0.2", 0));
                MeshUpdate first = next(db);
                assertThat(first.getTrustDomain()).isEqualTo("cluster.local");
                assertThat(first.getTrustRootsList()).hasSize(1);
                assertThat(first.getWorkloadsList()).containsExactly(MeshWorkload.newBuilder().setSpiffeId(DB)
                        .addAddresses("10.0.0.2").setHbonePort(15008).setAgentId("agent-db").setName("db").build());

                TestRelay.FakeAgent cart = agent(channel, "agent-cart", "cart");
                cart.meshStatus(status(CART, "10.0.0.1", 15009).toBuilder().addAddresses("fd00::1").build());
                MeshUpdate both = next(db);
                assertThat(both.getVersion()).isGreaterThan(first.getVersion());
                assertThat(both.getWorkloadsList()).extracting(MeshWorkload::getSpiffeId).containsExactly(CART, DB);
                assertThat(both.getWorkloads(0).getAddressesList()).containsExactly("10.0.0.1", "fd00::1");
                assertThat(next(cart).getWorkloadsList()).hasSize(2);

                sign(channel, withToken(csr(ec()), "agent-liar", enroll(channel, "shop", "cart", 0, 1)));
                TestRelay.FakeAgent liar = agent(channel, "agent-liar", "liar");
                liar.meshStatus(status(DB, "10.0.0.9", 0)); // holds cart, claims db
                TestRelay.FakeAgent stranger = agent(channel, "agent-stranger", "stranger");
                stranger.meshStatus(status(CART, "10.0.0.8", 0)); // holds nothing
                TestRelay.FakeAgent bad = agent(channel, "agent-cart", "cart-again");
                bad.meshStatus(status(CART, "not-an-ip", 0));
                TestRelay.await("the three statuses to be ignored", () -> ignored(relay) == 3);
                assertThat(liar.nextMesh(300)).as("an ignored status gets no mesh").isNull();
                assertThat(stranger.nextMesh(0)).isNull();
                assertThat(db.nextMesh(0)).as("and changes nothing").isNull();
                assertThat(relay.log()).contains("claims " + DB + " but holds " + CART)
                        .contains("issued it no mesh certificate").contains("'not-an-ip' is not an IPv4 or IPv6");

                cart.disconnect();
                MeshUpdate after = next(db);
                assertThat(after.getWorkloadsList()).extracting(MeshWorkload::getSpiffeId).containsExactly(DB);
                assertThat(TestRelay.as(RelayAdminGrpc.newBlockingStub(channel), TestRelay.ADMIN_TOKEN)
                        .meshList(MeshListRequest.getDefaultInstance()).getWorkloadsList())
                        .extracting(MeshWorkload::getAgentId).containsExactly("agent-db");
                for (TestRelay.FakeAgent a : List.of(db, liar, stranger, bad)) {
                    a.disconnect();
                }
            } finally {
                channel.shutdownNow();
            }
        }
    }

    static TestRelay.FakeAgent agent(ManagedChannel channel, String agentId, String container) {
        return new TestRelay.FakeAgent(channel, TestRelay.AGENT_TOKEN, Hello.newBuilder().setAgentId(agentId)
                .setContainerName(container).setVersion("test").build());
    }

    static MeshStatus status(String spiffeId, String address, int port) {
        return MeshStatus.newBuilder().setSpiffeId(spiffeId).addAddresses(address).setHbonePort(port).build();
    }

    static MeshUpdate next(TestRelay.FakeAgent agent) throws InterruptedException {
        MeshUpdate u = agent.nextMesh(30_000);
        if (u == null) {
            throw new AssertionError("no MeshUpdate within 30 s (stream status " + agent.closed + ")");
        }
        return u;
    }

    private static double ignored(NettyRelay relay) {
        return relay.server.metricsRegistry().scrape().stream().filter(s -> s.getMetadata().getName()
                .equals("ward_mesh_status_ignored")).flatMap(s -> s.getDataPoints().stream())
                .mapToDouble(d -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) d)
                        .getValue()).sum();
    }
}
