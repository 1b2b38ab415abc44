package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.relay.api.ListAgentsRequest;
import dev.ward.relay.api.RelayAdminGrpc;
import dev.ward.relay.api.WatchBatch;
import dev.ward.relay.api.WatchEvent;
import dev.ward.relay.api.WatchRequest;
import dev.ward.relay.client.SimulatedAgent;
import dev.ward.relay.store.EventQuery;
import dev.ward.relay.store.PostgresServer;
import dev.ward.relay.store.StoredEvent;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two relays on one PostgreSQL, relay A in a process of its own that is killed (SIGKILL) while 20 agents send
 * to it: the agents reconnect to relay B and resend what A had not acknowledged; afterwards every event is
 * stored (nothing acknowledged, nor anything else, is lost; resends may be stored twice), and a watcher on B
 * saw every event, A's before the crash through the store's announcements and the rest directly.
 */
@Tag("process")
class RelayFailoverTest {
    @TempDir
    Path dir;

    static final int AGENTS = 20;
    static final int EVENTS = 3_000;

    @Test
    void killingOneOfTwoRelaysUnderLoadLosesNothing() throws Exception {
        try (PostgresServer pg = PostgresServer.start()) {
            String url = pg.newDatabase("failover");
            Map<String, String> env = Map.of("WARD_RELAY_AGENT_TOKEN", TestRelay.AGENT_TOKEN,
                    "WARD_RELAY_ADMIN_TOKEN", TestRelay.ADMIN_TOKEN);
            try (RelayProcess a = RelayProcess.start(dir, env, "--store", url, "--store-user", PostgresServer.user());
                    MultiRelayTest.Relay b = MultiRelayTest.Relay.start(url)) {
                run(a, b);
            }
        }
    }

    private void run(RelayProcess a, MultiRelayTest.Relay b) throws Exception {
        ManagedChannel toB = NettyChannelBuilder.forTarget(b.address()).usePlaintext().build();
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        List<SimulatedAgent> agents = new ArrayList<>();
        Map<String, Set<Integer>> watched = new ConcurrentHashMap<>();
        AtomicLong watcherDropped = new AtomicLong();
        Iterator<WatchBatch> watch = RelayAdminGrpc.newBlockingStub(toB).watch(WatchRequest.newBuilder()
                .setFilter("all").setFollow(true).build());
        Thread watcher = Thread.ofPlatform().daemon().start(() -> {
            try {
                while (watch.hasNext()) {
                    for (WatchEvent e : watch.next().getEventsList()) {
                        if (e.hasDropped()) {
                            watcherDropped.addAndGet(e.getDropped().getCount());
                        } else {
                            watched.computeIfAbsent(e.getAlert().getContainerName(), k -> ConcurrentHashMap.newKeySet())
                                    .add(e.getTid());
                        }
                    }
                }
            } catch (RuntimeException e) {
                // the channel closed at the end of the test
            }
        });
        try {
            TestRelay.await("the watcher on B", () -> b.server().watcherCount() == 1);
            for (int i = 0; i < AGENTS; i++) {
                // A first: every agent starts on relay A, and its next connection attempt goes to B.
                agents.add(new SimulatedAgent("agent-" + i, List.of(a.address(), b.address()), TestRelay.AGENT_TOKEN,
                        100_000, quiet));
            }
            TestRelay.await("the agents on A, listed by B", () -> RelayAdminGrpc.newBlockingStub(toB)
                    .listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsList().stream()
                    .filter(x -> x.getRelay().endsWith(":" + a.port)).count() == AGENTS);

            long start = System.nanoTime();
            for (int n = 0; n < EVENTS; n++) {
                for (int i = 0; i < AGENTS; i++) {
                    agents.get(i).offer(MultiRelayTest.alert("agent-" + i, n));
                }
                if (n == EVENTS / 3) {
                    a.kill(); // under load: batches in flight, some stored and not yet acknowledged
                }
                if (n % 20 == 0) {
                    Thread.sleep(10); // about 40,000 events/s in all
                }
            }
            TestRelay.await("every agent's events acknowledged", Duration.ofSeconds(90),
                    () -> agents.stream().allMatch(s -> s.pending() == 0));
            System.err.println("RelayFailoverTest: " + AGENTS * EVENTS + " events sent in "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms with relay A killed after "
                    + EVENTS / 3 + " per agent");
            for (SimulatedAgent s : agents) {
                assertThat(s.dropped()).as("the agent's buffer had room for the outage").isZero();
                assertThat(s.sessions()).as("reconnected to B after A died").isGreaterThanOrEqualTo(2);
            }

            // The store: every event of every agent, A's part and B's.
            Map<String, Set<Integer>> stored = new HashMap<>();
            long rows = 0;
            for (StoredEvent e : b.store().events(new EventQuery(0, null, "", "", Integer.MAX_VALUE))) {
                stored.computeIfAbsent(e.event().getAlert().getContainerName(), k -> new HashSet<>())
                        .add(e.event().getTid());
                rows++;
            }
            assertThat(stored).hasSize(AGENTS);
            for (int i = 0; i < AGENTS; i++) {
                assertThat(stored.get("agent-" + i)).as("agent-%d's events in the store", i).hasSize(EVENTS);
            }
            System.err.println("RelayFailoverTest: " + rows + " stored for " + AGENTS * EVENTS + " sent ("
                    + (rows - (long) AGENTS * EVENTS) + " resent after the crash and stored twice)");

            // The watcher on B: everything, none dropped.
            TestRelay.await("the watcher on B saw every event", () -> watched.values().stream()
                    .mapToInt(Set::size).sum() == AGENTS * EVENTS);
            assertThat(watcherDropped.get()).isZero();
            assertThat(b.server().agentCount()).isEqualTo(AGENTS);
        } finally {
            agents.forEach(SimulatedAgent::close);
            toB.shutdownNow();
            watcher.join(5_000);
        }
    }
}
