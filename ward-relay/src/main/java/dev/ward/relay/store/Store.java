package dev.ward.relay.store;

import dev.ward.relay.api.Event;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/**
 * The relay's persistent state: policies (with a store-wide version) and events. SQLite (one file, nothing
 * else to run) or PostgreSQL (several relays behind a load balancer share it); one schema, migrated with
 * Flyway on open.
 *
 * <p>Events are stored in chunks (see the migration script) and read back in time order.
 *
 * <p>Threading: two connections, each used under its own lock: {@code events} by the event writer and
 * history queries, {@code meta} by policy changes. A connection that broke (the database restarted) is
 * reopened once per call before the call fails.
 *
 * <pre>{@code
 * try (Store store = Store.open("relay.db", null, null)) {          // or jdbc:postgresql://db/ward
 *     store.putPolicy("", "block-shadow", yaml);
 * }
 * }</pre>
 */
public final class Store implements AutoCloseable {
    /** Flyway reports every migration check at INFO through java.util.logging: keep only its warnings. */
    private static final java.util.logging.Logger FLYWAY_LOG = java.util.logging.Logger.getLogger("org.flywaydb");

    static {
        FLYWAY_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final String url;
    private final String user;
    private final String password;
    private final boolean sqlite;
    private final Db meta;
    private final Db events;
    private final SqliteLock lock; // null for PostgreSQL
    private final java.util.random.RandomGenerator commitIds = new java.security.SecureRandom();
    private volatile String announceAs; // null: nothing to announce
    private Db fanout; // guarded by this; opened on first use

    private Store(String url, String user, String password, SqliteLock lock) throws SQLException {
        this.url = url;
        this.user = user;
        this.password = password;
        this.sqlite = url.startsWith("jdbc:sqlite:");
        this.lock = lock;
        this.meta = new Db(this::connect);
        this.events = new Db(this::connect);
    }

    /**
     * Opens (and creates or migrates) the store. {@code location} is a JDBC URL ({@code jdbc:sqlite:FILE},
     * {@code jdbc:postgresql://HOST/DB}) or a file name for SQLite, which only one Store (one relay) may
     * have open at a time ({@link SqliteLock}).
     */
    public static Store open(String location, String user, String password) throws StoreException {
        String url = location.startsWith("jdbc:") ? location : "jdbc:sqlite:" + location;
        if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            throw new StoreException("unsupported store " + location
                    + " (expected a SQLite file name, jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB)");
        }
        SqliteLock lock = url.startsWith("jdbc:sqlite:") ? SqliteLock.acquire(url) : null;
        try {
            Flyway.configure(Store.class.getClassLoader()).dataSource(url, user, password)
                    .locations("classpath:db/ward-relay").load().migrate();
            return new Store(url, user, password, lock);
        } catch (SQLException | RuntimeException e) {
            if (lock != null) {
                lock.close();
            }
            throw new StoreException("cannot open the store " + redact(url) + ": " + rootMessage(e), e);
        }
    }

    private Connection connect() throws SQLException {
        java.util.Properties props = new java.util.Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (user != null && password != null) {
            props.setProperty("password", password);
        }
        if (sqlite) {
            // Every transaction here writes. Begun DEFERRED, one that read first fails at once (SQLITE_BUSY,
            // no busy wait) when the other connection committed meanwhile; IMMEDIATE takes the write lock at
            // BEGIN and waits for it up to busy_timeout.
            props.setProperty("transaction_mode", "IMMEDIATE");
        }
        Connection c = DriverManager.getConnection(url, props);
        if (sqlite) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("PRAGMA synchronous=NORMAL");
            }
        }
        return c;
    }

    /** The store-wide policy version (0 before the first change). */
    public long policyVersion() throws StoreException {
        return meta.call(PolicyRows::version);
    }

    public List<StoredPolicy> policies() throws StoreException {
        return meta.call(PolicyRows::all);
    }

    /** The KubeArmorPolicy {@code namespace/name}. */
    public Optional<StoredPolicy> policy(String namespace, String name) throws StoreException {
        return policy(StoredPolicy.KUBEARMOR, namespace, name);
    }

    public Optional<StoredPolicy> policy(String kind, String namespace, String name) throws StoreException {
        return meta.call(c -> PolicyRows.find(c, kind, namespace, name));
    }

    /** The outcome of a change: what was there before (empty for a new policy) and the new store version. */
    public record Change(Optional<StoredPolicy> before, long version) {
    }

    /** A policy to add or replace; {@code kind} is one of {@link StoredPolicy}'s. */
    public record Put(String kind, String namespace, String name, String yaml) {
        /** A KubeArmorPolicy. */
        public Put(String namespace, String name, String yaml) {
            this(StoredPolicy.KUBEARMOR, namespace, name, yaml);
        }
    }

    /**
     * Adds or replaces a KubeArmorPolicy, raising the store version; an identical document changes nothing (the
     * version stays).
     */
    public Change putPolicy(String namespace, String name, String yaml) throws StoreException {
        return putPolicies(List.of(new Put(namespace, name, yaml))).get(0);
    }

    /**
     * Adds or replaces several policies in one transaction: all of them or, when the store fails, none. Each
     * changed one raises the version; identical documents change nothing.
     */
    public List<Change> putPolicies(List<Put> puts) throws StoreException {
        return meta.transaction(c -> {
            List<Change> out = new ArrayList<>();
            for (Put p : puts) {
                out.add(PolicyRows.put(c, p, !sqlite));
            }
            return out;
        });
    }

    /** Deletes a KubeArmorPolicy; {@code before} is empty (and the version unchanged) when there was none. */
    public Change deletePolicy(String namespace, String name) throws StoreException {
        return deletePolicy(StoredPolicy.KUBEARMOR, namespace, name);
    }

    /** Deletes a policy of {@code kind}, as {@link #deletePolicy(String, String)}. */
    public Change deletePolicy(String kind, String namespace, String name) throws StoreException {
        return meta.transaction(c -> PolicyRows.delete(c, kind, namespace, name, !sqlite));
    }

    /** The longest time one stored chunk spans; queries look back this far before their start. */
    static final long MAX_CHUNK_SPAN_NANOS = 10_000_000_000L;

    /** One agent's events to store, in the order received. */
    public record Batch(String agentId, List<Event> events) {
    }

    /**
     * Stores batches in one transaction, as chunks ({@link EventAppender}). On a shared store (PostgreSQL, after
     * {@link #announceAs}) the commit is announced to the other relays, which read it with {@link #commit}.
     */
    public void appendEvents(List<Batch> batches) throws StoreException {
        String relayId = announceAs;
        long commitId = relayId == null ? 0 : commitIds.nextLong(1, Long.MAX_VALUE);
        events.transaction(c -> {
            EventAppender.append(c, batches, commitId);
            if (relayId != null) {
                EventAppender.announce(c, relayId, commitId);
            }
            return null;
        });
    }

    /**
     * From now on, announce every commit of events and every policy change as {@code relayId} (PostgreSQL
     * only: SQLite has one relay, and no one to tell).
     */
    public void announceAs(String relayId) {
        if (!sqlite) {
            announceAs = relayId;
        }
    }

    /** Whether several relays may share this store (PostgreSQL). */
    public boolean shared() {
        return !sqlite;
    }

    /** The events another relay stored in commit {@code commitId}, in the order it stored them. */
    public List<StoredEvent> commit(long commitId) throws StoreException {
        return EventReader.commit(fanout(), commitId);
    }

    /** A third connection, for reading other relays' commits without waiting for this relay's writer. */
    private synchronized Db fanout() throws StoreException {
        if (fanout == null) {
            try {
                fanout = new Db(this::connect);
            } catch (SQLException e) {
                throw new StoreException("store: " + rootMessage(e), e);
            }
        }
        return fanout;
    }

    /** The relays sharing this store and the agents connected to each. */
    public Fleet fleet() throws StoreException {
        try {
            return new Fleet(new Db(this::connect));
        } catch (SQLException e) {
            throw new StoreException("store: " + rootMessage(e), e);
        }
    }

    /** The alerts one by one ({@code ward_alerts}), for the web console, on a connection of their own. */
    public Alerts alerts() throws StoreException {
        try {
            return new Alerts(new Db(this::connect));
        } catch (SQLException e) {
            throw new StoreException("store: " + rootMessage(e), e);
        }
    }

    /** The mesh's tables, on a connection of their own. */
    public MeshStore mesh() throws StoreException {
        try {
            return new MeshStore(new Db(this::connect));
        } catch (SQLException e) {
            throw new StoreException("store: " + rootMessage(e), e);
        }
    }

    /** Listens for other relays' announcements on a connection of its own (PostgreSQL only). */
    public StoreListener listen(StoreListener.Handler handler, java.io.PrintStream log) {
        return new StoreListener(this::connect, handler, log);
    }

    /** Events from {@code q.sinceNanos()} on, in time order ({@link EventReader}). */
    public List<StoredEvent> events(EventQuery q) throws StoreException {
        return EventReader.read(events, q);
    }

    /** Deletes events whose chunk ended before {@code beforeNanos}; returns how many events. */
    public int pruneEvents(long beforeNanos) throws StoreException {
        return events.transaction(c -> {
            int n = 0;
            try (PreparedStatement count = c.prepareStatement(
                    "SELECT COALESCE(SUM(events), 0) FROM ward_events WHERE ts_last < ?")) {
                count.setLong(1, beforeNanos);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    n = rs.getInt(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ward_events WHERE ts_last < ?")) {
                ps.setLong(1, beforeNanos);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ward_alerts WHERE ts < ?")) {
                ps.setLong(1, beforeNanos);
                ps.executeUpdate();
            }
            return n;
        });
    }

    /** "sqlite" or "postgresql". */
    public String kind() {
        return sqlite ? "sqlite" : "postgresql";
    }

    @Override
    public void close() {
        meta.close();
        events.close();
        synchronized (this) {
            if (fanout != null) {
                fanout.close();
            }
        }
        if (lock != null) {
            lock.close(); // after the connections: the next relay may open the file as soon as this is gone
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)password=[^&;]*", "password=***");
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
