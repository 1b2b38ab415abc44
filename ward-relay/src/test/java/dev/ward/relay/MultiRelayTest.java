package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.relay.api.AgentInfo;
import dev.ward.relay.api.ApplyRequest;
import dev.ward.relay.api.Event;
import dev.ward.relay.api.ListAgentsRequest;
import dev.ward.relay.api.RelayAdminGrpc;
import dev.ward.relay.api.WatchBatch;
import dev.ward.relay.api.WatchEvent;
import dev.ward.relay.api.WatchRequest;
import dev.ward.relay.api.feeder.Alert;
import dev.ward.relay.api.feeder.LogServiceGrpc;
import dev.ward.relay.api.feeder.RequestMessage;
import dev.ward.relay.api.policy.PolicyStatus;
import dev.ward.relay.client.SimulatedAgent;
import dev.ward.relay.store.PostgresServer;
import dev.ward.relay.store.Store;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two relays on one real PostgreSQL, over TCP, as behind a load balancer: watchers on either see the agents of
 * both, in order; {@code ward agents} lists the fleet with each agent's relay; a policy change made through one
 * reaches the other's agents through the store's notification (the poll is set to an hour here, so nothing
 * else could deliver it).
 */
@Tag("process")
class MultiRelayTest {
    static PostgresServer pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        pg.close();
    }

    /** A relay on a loopback port with its own Store on the shared database. */
    record Relay(Store store, RelayServer server, String address) implements AutoCloseable {
        static Relay start(String url) throws Exception {
            var settings = new RelayServer.Settings(TestRelay.AGENT_TOKEN, TestRelay.ADMIN_TOKEN, null, 1 << 16,
                    Duration.ZERO, Duration.ofHours(1));
            Store store = Store.open(url, PostgresServer.user(), null);
            RelayServer server = RelayServer.start(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                    InsecureServerCredentials.create()), settings, store, new PrintStream(System.err, true));
            return new Relay(store, server, "127.0.0.1:" + server.port());
        }

        @Override
        public void close() {
            server.close();
            store.close();
        }
    }

    static Event alert(String container, int n) {
        long ts = 1_800_000_000_000_000_000L + n * 1_000L;
        return Event.newBuilder().setTimestampNanos(ts).setTid(n).setAlert(Alert.newBuilder().setType("MatchedPolicy")
                .setContainerName(container).setOperation("File").setResource(container + "/" + n)
                .setPolicyName("p").setAction("Block").setTimestamp(ts / 1_000_000_000L)).build();
    }

    @Test
    void watchersSeeEveryRelaysAgentsInOrderAndWardAgentsListsTheFleet() throws Exception {
        String url = pg.newDatabase("fan_out");
        try (Relay a = Relay.start(url); Relay b = Relay.start(url)) {
            ManagedChannel toA = NettyChannelBuilder.forTarget(a.address()).usePlaintext().build();
            ManagedChannel toB = NettyChannelBuilder.forTarget(b.address()).usePlaintext().build();
            PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
            try (SimulatedAgent onA = new SimulatedAgent("on-a", List.of(a.address()), TestRelay.AGENT_TOKEN, 100_000,
                    quiet);
                    SimulatedAgent onB = new SimulatedAgent("on-b", List.of(b.address()), TestRelay.AGENT_TOKEN,
                            100_000, quiet)) {
                int events = 5_000;
                Iterator<WatchBatch> wardWatch = RelayAdminGrpc.newBlockingStub(toA).watch(WatchRequest.newBuilder()
                        .setFilter("all").setFollow(true).setLimit(2 * events).build());
                Iterator<Alert> karmor = LogServiceGrpc.newBlockingStub(toB).watchAlerts(RequestMessage.newBuilder()
                        .setFilter("policy").build());
                TestRelay.await("a watcher on each relay", () -> a.server().watcherCount() == 1
                        && b.server().watcherCount() == 1);
                TestRelay.await("both agents connected", () -> onA.connected() && onB.connected());

                for (int i = 0; i < events; i++) {
                    onA.offer(alert("on-a", i));
                    onB.offer(alert("on-b", i));
                }

                // ward logs on relay A: both agents' events, each agent's in the order it sent them.
                Map<String, List<Integer>> seenOnA = new TreeMap<>();
                int received = 0;
                while (received < 2 * events && wardWatch.hasNext()) {
                    for (WatchEvent e : wardWatch.next().getEventsList()) {
                        assertThat(e.hasDropped()).as("a watcher with room for everything loses nothing").isFalse();
                        seenOnA.computeIfAbsent(e.getAlert().getContainerName(), k -> new ArrayList<>())
                                .add(e.getTid());
                        received++;
                    }
                }
                assertThat(seenOnA.keySet()).containsExactly("on-a", "on-b");
                for (List<Integer> seq : seenOnA.values()) {
                    assertThat(seq).hasSize(events).isSorted();
                }
                // karmor on relay B: relay A's agent too.
                int fromA = 0;
                for (int i = 0; i < 2 * events; i++) {
                    if (karmor.next().getContainerName().equals("on-a")) {
                        fromA++;
                    }
                }
                assertThat(fromA).isEqualTo(events);

                // ward agents, asked of either relay: the fleet, each agent with its relay.
                for (ManagedChannel ch : List.of(toA, toB)) {
                    TestRelay.await("both relays' agents listed", () -> RelayAdminGrpc.newBlockingStub(ch)
                            .listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsCount() == 2);
                    Map<String, String> relayOf = new TreeMap<>();
                    for (AgentInfo info : RelayAdminGrpc.newBlockingStub(ch).listAgents(
                            ListAgentsRequest.getDefaultInstance()).getAgentsList()) {
                        relayOf.put(info.getContainerName(), info.getRelay());
                    }
                    assertThat(relayOf).containsEntry("on-a", a.server().name()).containsEntry("on-b",
                            b.server().name());
                }
                assertThat(a.server().name()).isNotEqualTo(b.server().name()).endsWith(":" + a.server().port());
            } finally {
                toA.shutdownNow();
                toB.shutdownNow();
            }
        }
    }

    @Test
    void aRelayThatStopsLeavesTheFleetListAtOnce() throws Exception {
        String url = pg.newDatabase("leave");
        try (Relay a = Relay.start(url)) {
            ManagedChannel toA = NettyChannelBuilder.forTarget(a.address()).usePlaintext().build();
            PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
            try {
                Relay b = Relay.start(url);
                try (SimulatedAgent onB = new SimulatedAgent("on-b", List.of(b.address()), TestRelay.AGENT_TOKEN, 10,
                        quiet)) {
                    TestRelay.await("B's agent listed by A", () -> RelayAdminGrpc.newBlockingStub(toA)
                            .listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsCount() == 1);
                    b.close();
                    // Well before the 10 s after which a silent relay's agents are no longer listed.
                    TestRelay.await("B's agent gone from A's list", Duration.ofSeconds(3), () -> RelayAdminGrpc
                            .newBlockingStub(toA).listAgents(ListAgentsRequest.getDefaultInstance())
                            .getAgentsCount() == 0);
                }
            } finally {
                toA.shutdownNow();
            }
        }
    }

    @Test
    void aPolicyChangeThroughOneRelayReachesTheOthersAgentsWithinTwoSeconds() throws Exception {
        String url = pg.newDatabase("push");
        try (Relay a = Relay.start(url); Relay b = Relay.start(url)) {
            ManagedChannel toA = NettyChannelBuilder.forTarget(a.address()).usePlaintext().build();
            PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
            List<SimulatedAgent> agents = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    agents.add(new SimulatedAgent("web", List.of(b.address()), TestRelay.AGENT_TOKEN, 100, quiet));
                }
                TestRelay.await("20 agents on relay B with their first set", () -> agents.stream()
                        .allMatch(s -> s.policySets() == 1));
                for (int round = 0; round < 3; round++) {
                    long start = System.nanoTime();
                    var result = TestRelay.as(RelayAdminGrpc.newBlockingStub(toA), TestRelay.ADMIN_TOKEN)
                            .applyPolicies(ApplyRequest.newBuilder().setYaml(TestRelay.policy("shared", "web",
                                    "/etc/shadow" + round)).build()).getResults(0);
                    assertThat(result.getStatus()).isIn(PolicyStatus.Applied, PolicyStatus.Modified);
                    int expected = round + 2;
                    TestRelay.await("every agent on B has the change", Duration.ofSeconds(2),
                            () -> agents.stream().allMatch(s -> s.policySets() == expected));
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    System.err.println("MultiRelayTest: policy change through A on all 20 agents of B in " + millis
                            + " ms");
                    assertThat(agents.getFirst().policies().getFirst().name()).isEqualTo("shared");
                }
            } finally {
                agents.forEach(SimulatedAgent::close);
                toA.shutdownNow();
            }
        }
    }
}
