package dev.ward.relay.store;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ward.relay.api.AgentInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The relays sharing a PostgreSQL store and the agents connected to each, for {@code ward agents}: each relay
 * keeps its own rows (a heartbeat, one row per connected agent) and reads everyone's. A relay whose heartbeat is
 * older than {@link #ALIVE_MILLIS} is gone (killed, or cut off from the database): its agents are not listed,
 * and its rows are deleted once it has been silent for {@link #FORGET_MILLIS}.
 *
 * <p>Threading: one connection, used by one relay thread at a time ({@link Db} locks it).
 */
public final class Fleet implements AutoCloseable {
    public static final long ALIVE_MILLIS = 10_000;
    static final long FORGET_MILLIS = 60_000;

    /** An agent as another relay (or this one) published it. */
    public record Member(String relayId, long connection, AgentInfo info) {
    }

    private final Db db;

    Fleet(Db db) {
        this.db = db;
    }

    /** Says this relay is alive, and forgets relays silent for a minute. */
    public void heartbeat(String relayId, String name, long nowMillis) throws StoreException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ward_relays (relay_id, name, heartbeat_millis) "
                    + "VALUES (?, ?, ?) ON CONFLICT (relay_id) DO UPDATE SET name = excluded.name, "
                    + "heartbeat_millis = excluded.heartbeat_millis")) {
                ps.setString(1, relayId);
                ps.setString(2, name);
                ps.setLong(3, nowMillis);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ward_agents WHERE relay_id IN "
                    + "(SELECT relay_id FROM ward_relays WHERE heartbeat_millis < ?)")) {
                ps.setLong(1, nowMillis - FORGET_MILLIS);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ward_relays WHERE heartbeat_millis < ?")) {
                ps.setLong(1, nowMillis - FORGET_MILLIS);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Publishes (adds or refreshes) this relay's agents and removes the ones that left, in one transaction. */
    public void publish(String relayId, Collection<Member> current, Collection<Long> gone, long nowMillis)
            throws StoreException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ward_agents WHERE relay_id = ? AND "
                    + "connection = ?")) {
                for (long connection : gone) {
                    ps.setString(1, relayId);
                    ps.setLong(2, connection);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ward_agents (relay_id, connection, info, "
                    + "updated_millis) VALUES (?, ?, ?, ?) ON CONFLICT (relay_id, connection) DO UPDATE SET "
                    + "info = excluded.info, updated_millis = excluded.updated_millis")) {
                for (Member m : current) {
                    ps.setString(1, relayId);
                    ps.setLong(2, m.connection());
                    ps.setBytes(3, m.info().toByteArray());
                    ps.setLong(4, nowMillis);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Every agent of the relays alive at {@code nowMillis}, with its relay's name in {@code AgentInfo.relay}. */
    public List<Member> agents(long nowMillis) throws StoreException {
        List<Object[]> rows = db.call(c -> {
            List<Object[]> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT a.relay_id, a.connection, a.info, r.name "
                    + "FROM ward_agents a JOIN ward_relays r ON r.relay_id = a.relay_id "
                    + "WHERE r.heartbeat_millis >= ? ORDER BY r.name, a.connection")) {
                ps.setLong(1, nowMillis - ALIVE_MILLIS);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Object[] {rs.getString(1), rs.getLong(2), rs.getBytes(3), rs.getString(4)});
                    }
                }
            }
            return out;
        });
        List<Member> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            try {
                AgentInfo info = AgentInfo.parseFrom((byte[]) r[2]).toBuilder().setRelay((String) r[3]).build();
                out.add(new Member((String) r[0], (Long) r[1], info));
            } catch (InvalidProtocolBufferException e) {
                throw new StoreException("store: the fleet row of relay " + r[0] + " is corrupt: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Removes this relay and its agents (it is closing). */
    public void leave(String relayId) throws StoreException {
        db.transaction(c -> {
            for (String table : new String[] {"ward_agents", "ward_relays"}) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE relay_id = ?")) {
                    ps.setString(1, relayId);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public void close() {
        db.close();
    }
}
