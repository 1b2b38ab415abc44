package dev.ward.relay.store;

import dev.ward.relay.api.Event;
import dev.ward.relay.api.feeder.Alert;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Writes the alerts of stored batches to {@code ward_alerts} (V6), one row each, in the storing transaction. */
final class AlertRows {
    private AlertRows() {
    }

    static void insert(Connection c, List<Store.Batch> batches) throws SQLException {
        boolean any = false;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ward_alerts (ts, alert_id, agent_id, "
                + "container_name, policy_name, severity, operation, action, resource, source, payload) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Store.Batch b : batches) {
                for (Event e : b.events()) {
                    if (!e.hasAlert()) {
                        continue;
                    }
                    Alert a = e.getAlert();
                    long ts = StoredEvent.timeOf(e);
                    ps.setLong(1, ts);
                    ps.setLong(2, id(b.agentId(), ts, a));
                    ps.setString(3, fit(b.agentId(), 64));
                    ps.setString(4, fit(a.getContainerName(), 253));
                    ps.setString(5, fit(a.getPolicyName(), 253));
                    ps.setInt(6, severity(a.getSeverity()));
                    ps.setString(7, fit(a.getOperation(), 64));
                    ps.setString(8, fit(a.getAction(), 64));
                    ps.setString(9, fit(a.getResource(), 4096));
                    ps.setString(10, fit(a.getSource(), 4096));
                    ps.setBytes(11, e.toByteArray());
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
    }

    /**
     * The alert's id beside its time: the first 63 bits of SHA-256 over the agent, the time and the alert, so
     * that the live stream, which never sees the row, names the alert as the store does.
     */
    static long id(String agentId, long tsNanos, Alert alert) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(agentId.getBytes(StandardCharsets.UTF_8));
            d.update(ByteBuffer.allocate(Long.BYTES).putLong(0, tsNanos).array());
            d.update(alert.toByteArray());
            return ByteBuffer.wrap(d.digest()).getLong() >>> 1;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** KubeArmor's Severity ("1" to "10"); 0 when it is not a number. */
    static int severity(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String fit(String value, int max) {
        return value.length() <= max ? value : "";
    }
}
