package dev.ward.relay;

import dev.ward.relay.api.AgentInfo;
import dev.ward.relay.store.Fleet;
import dev.ward.relay.store.Store;
import dev.ward.relay.store.StoreException;
import dev.ward.relay.store.StoreListener;
import dev.ward.relay.store.StoredEvent;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Several relays on one PostgreSQL store acting as one, through the store they already share rather than a
 * protocol of their own:
 * <ul>
 *   <li>Live events: every relay announces each commit of events (NOTIFY, in the storing transaction); the
 *       others read that commit's chunks and hand them to their own watchers, in commit order, so one agent's
 *       events stay in order. A watcher that falls behind loses events with a count, as with local ones.</li>
 *   <li>Policies: a change is announced with its commit, and every relay reloads at once (the 2 s poll stays
 *       as the fallback).</li>
 *   <li>{@code ward agents}: every relay keeps a heartbeat and its agents in the store ({@link Fleet}) once a
 *       second, and lists everyone's.</li>
 * </ul>
 * On a SQLite store (one relay) it does nothing: {@link #agents} is this relay's own list.
 *
 * <p>Threading: the listener's thread fans out; one scheduler thread ("ward-relay-fleet") writes the fleet
 * rows; {@link #agents} runs on gRPC threads.
 */
final class Federation implements AutoCloseable {
    private static final int FULL_REFRESH_TICKS = 10;

    private final Store store;
    private final Hub hub;
    private final AgentSessions sessions;
    private final Runnable reloadPolicies;
    private final PrintStream log;
    private final String relayId = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    private volatile String name;
    private StoreListener listener;
    private Fleet fleet;
    private ScheduledExecutorService scheduler;
    private final Set<Long> published = new HashSet<>(); // scheduler thread only
    private long ticks; // scheduler thread only
    private volatile boolean failing;

    Federation(Store store, Hub hub, AgentSessions sessions, Runnable reloadPolicies, PrintStream log) {
        this.store = store;
        this.hub = hub;
        this.sessions = sessions;
        this.reloadPolicies = reloadPolicies;
        this.log = log;
        this.name = relayId;
    }

    /**
     * Joins the fleet once the server listens, named HOST:PORT in {@code ward agents}' RELAY column (in-process
     * servers have no port: HOST/ID).
     */
    void start(String host, int port) throws StoreException {
        this.name = port > 0 ? host + ":" + port : host + "/" + relayId.substring(0, 6);
        if (!store.shared()) {
            return;
        }
        store.announceAs(relayId);
        fleet = store.fleet();
        listener = store.listen(new StoreListener.Handler() {
            @Override
            public void events(String from, long commitId) {
                fanOut(from, commitId);
            }

            @Override
            public void policies() {
                reloadPolicies.run();
            }

            @Override
            public void reconnected() {
                reloadPolicies.run();
            }
        }, log);
        try {
            if (!listener.awaitListening(java.time.Duration.ofSeconds(10))) {
                log.println("ward relay: not listening to the other relays yet (the store does not answer); "
                        + "their events and policy changes reach this relay once it does");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reloadPolicies.run(); // what changed before the LISTEN
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("ward-relay-fleet")
                .factory());
        scheduler.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    String name() {
        return name;
    }

    /** This relay's id in the store's fleet tables. */
    String relayId() {
        return relayId;
    }

    private void fanOut(String from, long commitId) {
        if (from.equals(relayId) || !hub.listening()) {
            return; // this relay's own events went to its watchers when they arrived
        }
        try {
            List<StoredEvent> stored = store.commit(commitId);
            List<RelayEvent> events = new ArrayList<>(stored.size());
            for (StoredEvent s : stored) {
                events.add(RelayEvent.of(s));
            }
            hub.publishAll(events);
        } catch (StoreException e) {
            log.println("ward relay: cannot read relay " + from + "'s events for the watchers: " + e.getMessage());
        }
    }

    /** Heartbeat, then this relay's agents: new and gone ones every second, everyone's counters every 10 s. */
    private void tick() {
        try {
            long now = System.currentTimeMillis();
            fleet.heartbeat(relayId, name, now);
            Map<Long, AgentSession> current = new HashMap<>();
            for (AgentSession s : sessions.all()) {
                current.put(s.connection, s);
            }
            boolean full = ticks++ % FULL_REFRESH_TICKS == 0;
            List<Fleet.Member> put = new ArrayList<>();
            for (AgentSession s : current.values()) {
                if (full || !published.contains(s.connection)) {
                    put.add(new Fleet.Member(relayId, s.connection, s.info()));
                }
            }
            List<Long> gone = new ArrayList<>();
            for (long c : published) {
                if (!current.containsKey(c)) {
                    gone.add(c);
                }
            }
            if (!put.isEmpty() || !gone.isEmpty()) {
                fleet.publish(relayId, put, gone, now);
            }
            published.clear();
            published.addAll(current.keySet());
            if (failing) {
                log.println("ward relay: the fleet list is written to the store again");
            }
            failing = false;
        } catch (StoreException | RuntimeException e) {
            if (!failing) {
                log.println("ward relay: cannot write this relay's agents to the store (ward agents on other relays "
                        + "will not list them): " + e.getMessage());
            }
            failing = true;
            published.clear(); // publish everything again once the store is back
        }
    }

    /**
     * Every agent: this relay's from its sessions, the other live relays' from the store (when the store cannot
     * be read, this relay's only, and {@code complete} false).
     */
    List<AgentInfo> agents() {
        List<AgentInfo> out = new ArrayList<>();
        sessions.all().stream().sorted(java.util.Comparator.comparingLong(s -> s.connection))
                .forEach(s -> out.add(s.info().toBuilder().setRelay(name).build()));
        if (fleet == null) {
            return out;
        }
        try {
            for (Fleet.Member m : fleet.agents(System.currentTimeMillis())) {
                if (!m.relayId().equals(relayId)) {
                    out.add(m.info());
                }
            }
        } catch (StoreException e) {
            log.println("ward relay: cannot read the other relays' agents: " + e.getMessage());
        }
        return out;
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS); // a tick in progress would undo leave()
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (listener != null) {
            listener.close();
        }
        if (fleet != null) {
            try {
                fleet.leave(relayId);
            } catch (StoreException e) {
                // the other relays forget this one once its heartbeat is old
            }
            fleet.close();
        }
    }
}
