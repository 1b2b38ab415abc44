package dev.ward.relay.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The policy tables' SQL, run inside the {@link Store}'s connections and transactions. */
final class PolicyRows {
    private PolicyRows() {
    }

    static List<StoredPolicy> all(Connection c) throws SQLException {
        List<StoredPolicy> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT kind, namespace, name, yaml, version, updated_millis FROM ward_policies "
                        + "ORDER BY kind DESC, namespace, name");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StoredPolicy(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6)));
            }
        }
        return out;
    }

    static Optional<StoredPolicy> find(Connection c, String kind, String namespace, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT yaml, version, updated_millis FROM ward_policies "
                + "WHERE kind = ? AND namespace = ? AND name = ?")) {
            ps.setString(1, kind);
            ps.setString(2, namespace);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredPolicy(kind, namespace, name, rs.getString(1), rs.getLong(2),
                        rs.getLong(3)));
            }
        }
    }

    static long version(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM ward_policy_version WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One add or replace, inside the caller's transaction. */
    static Store.Change put(Connection c, Store.Put p, boolean announce) throws SQLException {
        Optional<StoredPolicy> before = find(c, p.kind(), p.namespace(), p.name());
        if (before.isPresent() && before.get().yaml().equals(p.yaml())) {
            return new Store.Change(before, version(c));
        }
        long version = bump(c, announce);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ward_policies "
                + "(kind, namespace, name, yaml, version, updated_millis) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (kind, namespace, name) DO UPDATE SET yaml = excluded.yaml, "
                + "version = excluded.version, updated_millis = excluded.updated_millis")) {
            ps.setString(1, p.kind());
            ps.setString(2, p.namespace());
            ps.setString(3, p.name());
            ps.setString(4, p.yaml());
            ps.setLong(5, version);
            ps.setLong(6, System.currentTimeMillis());
            ps.executeUpdate();
        }
        return new Store.Change(before, version);
    }

    static Store.Change delete(Connection c, String kind, String namespace, String name, boolean announce)
            throws SQLException {
        Optional<StoredPolicy> before = find(c, kind, namespace, name);
        if (before.isEmpty()) {
            return new Store.Change(before, version(c));
        }
        long version = bump(c, announce);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ward_policies WHERE kind = ? AND namespace = ? AND name = ?")) {
            ps.setString(1, kind);
            ps.setString(2, namespace);
            ps.setString(3, name);
            ps.executeUpdate();
        }
        return new Store.Change(before, version);
    }

    /**
     * Raises the version. On PostgreSQL ({@code announce}) the update row-locks it, so concurrent relays serialize
     * their changes, and the change is announced on commit: the other relays reload at once instead of at their
     * next poll.
     */
    private static long bump(Connection c, boolean announce) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE ward_policy_version SET version = version + 1 WHERE id = 1")) {
            ps.executeUpdate();
        }
        long version = version(c);
        if (announce) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                ps.setString(1, StoreListener.POLICIES_CHANNEL);
                ps.setString(2, Long.toString(version));
                ps.execute();
            }
        }
        return version;
    }
}
