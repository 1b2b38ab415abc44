package dev.ward.relay;

import static dev.ward.relay.MeshTesting.csr;
import static dev.ward.relay.MeshTesting.ec;
import static dev.ward.relay.MeshTesting.enroll;
import static dev.ward.relay.MeshTesting.sign;
import static dev.ward.relay.MeshTesting.withToken;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.relay.api.CertificateResponse;
import dev.ward.relay.api.MeshUpdate;
import dev.ward.relay.api.MeshWorkload;
import dev.ward.relay.store.PostgresServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Relays sharing one real PostgreSQL store are one mesh: started at the same moment on an empty store they end up with
 * one CA; a token made on one relay enrolls an agent on the other; an agent on one relay learns of a workload that
 * reported to the other, and of its leaving.
 */
@Tag("process")
class MeshSharedStoreTest {
    static PostgresServer pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        pg.close();
    }

    @Test
    void relaysOnOneStoreShareOneCaAndOneMesh() throws Exception {
        String url = pg.newDatabase("mesh");
        List<MultiRelayTest.Relay> relays = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<ManagedChannel> channels = new ArrayList<>();
        try {
            List<Future<MultiRelayTest.Relay>> starting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                starting.add(pool.submit((Callable<MultiRelayTest.Relay>) () -> MultiRelayTest.Relay.start(url)));
            }
            for (Future<MultiRelayTest.Relay> f : starting) {
                relays.add(f.get());
            }
            for (MultiRelayTest.Relay r : relays) {
                channels.add(NettyChannelBuilder.forTarget(r.address()).usePlaintext().build());
            }
            String token = enroll(channels.get(0), "shop", "cart", 0, 3);
            List<String> roots = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                CertificateResponse r = sign(channels.get(i), withToken(csr(ec()), "agent-" + i, token));
                MeshTesting.validates(MeshTesting.certificates(r.getCertChainList()));
                roots.addAll(r.getTrustRootsList());
            }
            assertThat(roots).hasSize(3).as("one CA for the three relays").containsOnly(roots.get(0));

            sign(channels.get(1), withToken(csr(ec()), "agent-db", enroll(channels.get(1), "shop", "db", 0, 1)));
            TestRelay.FakeAgent cart = MeshDiscoveryTest.agent(channels.get(0), "agent-0", "cart");
            cart.meshStatus(MeshDiscoveryTest.status("spiffe://cluster.local/ns/shop/sa/cart", "10.0.0.1", 0));
            assertThat(MeshDiscoveryTest.next(cart).getWorkloadsCount()).isEqualTo(1);
            TestRelay.FakeAgent db = MeshDiscoveryTest.agent(channels.get(1), "agent-db", "db");
            db.meshStatus(MeshDiscoveryTest.status("spiffe://cluster.local/ns/shop/sa/db", "10.0.0.2", 0));
            awaitWorkloads(db, List.of("agent-0", "agent-db"));
            awaitWorkloads(cart, List.of("agent-0", "agent-db"));
            cart.disconnect();
            awaitWorkloads(db, List.of("agent-db"));
            db.disconnect();
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
            relays.forEach(MultiRelayTest.Relay::close);
            pool.shutdownNow();
        }
    }

    /** Waits for a MeshUpdate holding exactly these agents' workloads (earlier ones may come first). */
    private static void awaitWorkloads(TestRelay.FakeAgent agent, List<String> agentIds) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<String> last = null;
        while (System.nanoTime() < deadline) {
            MeshUpdate u = agent.nextMesh(1000);
            if (u != null) {
                last = u.getWorkloadsList().stream().map(MeshWorkload::getAgentId).sorted().toList();
                if (last.equals(agentIds)) {
                    return;
                }
            }
        }
        throw new AssertionError("no MeshUpdate with " + agentIds + " within 30 s; the last had " + last);
    }
}
