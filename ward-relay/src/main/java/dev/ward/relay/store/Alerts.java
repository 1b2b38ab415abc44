package dev.ward.relay.store;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ward.relay.api.Event;
import dev.ward.relay.api.feeder.Alert;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stored alerts one by one ({@code ward_alerts}, V6) for the web console: pages newest first with a keyset
 * cursor, one alert by its id, and counts per time bucket and severity computed by the database. An alert's id is
 * {@code TS-N}: its time in nanoseconds and {@link #id the hash} that tells alerts of one nanosecond apart.
 */
public final class Alerts implements AutoCloseable {
    /**
     * Which alerts: every text "" for any value.
     *
     * @param minSeverity the least Severity (0 for any)
     * @param action      Block, Audit or Allow
     * @param text        a substring of Resource or Source, in any case
     */
    public record Query(String container, String policy, int minSeverity, String operation, String action,
            String text) {
        public static final Query ALL = new Query("", "", 0, "", "", "");

        /** Whether {@code a} is one of the alerts asked for (for the live stream, which has no rows). */
        public boolean matches(Alert a) {
            return (container.isEmpty() || container.equals(a.getContainerName()))
                    && (policy.isEmpty() || policy.equals(a.getPolicyName()))
                    && (minSeverity <= 0 || AlertRows.severity(a.getSeverity()) >= minSeverity)
                    && (operation.isEmpty() || operation.equalsIgnoreCase(a.getOperation()))
                    && (action.isEmpty() || action.equalsIgnoreCase(a.getAction()))
                    && (text.isEmpty() || contains(a.getResource(), text) || contains(a.getSource(), text));
        }

        private static boolean contains(String value, String part) {
            return value.toLowerCase(java.util.Locale.ROOT).contains(part.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** One stored alert and its id. */
    public record Row(String id, StoredEvent event) {
    }

    /** How many alerts of {@code severity} fell in the bucket starting at {@code startNanos}. */
    public record Count(long startNanos, int severity, long count) {
    }

    private final Db db;

    Alerts(Db db) {
        this.db = db;
    }

    /** The id the store gives the alert {@code agentId} sent with this time. */
    public static String id(String agentId, long tsNanos, Alert alert) {
        return tsNanos + "-" + AlertRows.id(agentId, tsNanos, alert);
    }

    /** Up to {@code limit} alerts, newest first, older than the alert {@code before} names (null: from the newest). */
    public List<Row> page(Query q, String before, int limit) throws StoreException {
        long[] cursor = before == null ? null : parse(before);
        List<Object> values = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ts, alert_id, agent_id, payload FROM ward_alerts WHERE 1 = 1");
        where(sql, values, q);
        if (cursor != null) {
            sql.append(" AND (ts < ? OR ts = ? AND alert_id < ?)");
            values.addAll(List.of(cursor[0], cursor[0], cursor[1]));
        }
        sql.append(" ORDER BY ts DESC, alert_id DESC LIMIT ?");
        values.add(limit);
        return rows(sql.toString(), values);
    }

    /** The alert {@code id} names; empty when there is none (or the id is not one). */
    public Optional<Row> get(String id) throws StoreException {
        long[] key;
        try {
            key = parse(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        List<Row> rows = rows("SELECT ts, alert_id, agent_id, payload FROM ward_alerts WHERE ts = ? AND alert_id = ?",
                List.of(key[0], key[1]));
        return rows.stream().findFirst();
    }

    /**
     * The alerts {@code q} selects from {@code fromNanos} on, counted per severity in {@code buckets} buckets of
     * {@code bucketNanos}: only the non-empty ones, oldest first.
     */
    public List<Count> histogram(Query q, long fromNanos, long bucketNanos, int buckets) throws StoreException {
        List<Object> values = new ArrayList<>(List.of(fromNanos, bucketNanos, fromNanos,
                fromNanos + bucketNanos * buckets));
        StringBuilder sql = new StringBuilder("SELECT (ts - ?) / ?, severity, COUNT(*) FROM ward_alerts "
                + "WHERE ts >= ? AND ts < ?");
        where(sql, values, q);
        sql.append(" GROUP BY 1, 2 ORDER BY 1, 2");
        return db.call(c -> {
            List<Count> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                bind(ps, values);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Count(fromNanos + rs.getLong(1) * bucketNanos, rs.getInt(2), rs.getLong(3)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void close() {
        db.close();
    }

    /** {@code TS-N} as two numbers; IllegalArgumentException naming the text otherwise. */
    private static long[] parse(String id) {
        int dash = id.indexOf('-', 1);
        try {
            if (dash > 0) {
                return new long[] {Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))};
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("'" + id + "' is not an alert id (expected TIME-NUMBER)");
    }

    private static void where(StringBuilder sql, List<Object> values, Query q) {
        equal(sql, values, "container_name", q.container());
        equal(sql, values, "policy_name", q.policy());
        if (q.minSeverity() > 0) {
            sql.append(" AND severity >= ?");
            values.add(q.minSeverity());
        }
        if (!q.operation().isEmpty()) {
            sql.append(" AND LOWER(operation) = LOWER(?)");
            values.add(q.operation());
        }
        if (!q.action().isEmpty()) {
            sql.append(" AND LOWER(action) = LOWER(?)");
            values.add(q.action());
        }
        if (!q.text().isEmpty()) {
            String like = "%" + q.text().toLowerCase(java.util.Locale.ROOT).replace("!", "!!").replace("%", "!%")
                    .replace("_", "!_") + "%";
            sql.append(" AND (LOWER(resource) LIKE ? ESCAPE '!' OR LOWER(source) LIKE ? ESCAPE '!')");
            values.add(like);
            values.add(like);
        }
    }

    private static void equal(StringBuilder sql, List<Object> values, String column, String value) {
        if (!value.isEmpty()) {
            sql.append(" AND ").append(column).append(" = ?");
            values.add(value);
        }
    }

    private List<Row> rows(String sql, List<Object> values) throws StoreException {
        return db.call(c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, values);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long ts = rs.getLong(1);
                        String agent = rs.getString(3);
                        Event e;
                        try {
                            e = Event.parseFrom(rs.getBytes(4));
                        } catch (InvalidProtocolBufferException bad) {
                            throw new java.sql.SQLException("a stored alert of agent " + agent + " is corrupt: "
                                    + bad.getMessage(), bad);
                        }
                        out.add(new Row(ts + "-" + rs.getLong(2), new StoredEvent(ts, e, agent)));
                    }
                }
            }
            return out;
        });
    }

    private static void bind(PreparedStatement ps, List<Object> values) throws java.sql.SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (v instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, (String) v);
            }
        }
    }
}
