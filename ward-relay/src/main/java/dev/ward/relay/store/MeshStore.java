package dev.ward.relay.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mesh's tables (migration V3): the generated CA, enrollment tokens, role bindings, the certificate each agent
 * holds and the workloads each relay knows. Opened with {@link Store#mesh()}; one connection, used by one thread
 * at a time ({@link Db} locks it).
 */
public final class MeshStore implements AutoCloseable {
    /** A CA as stored: PEM certificate and PEM private key. */
    public record StoredCa(String certPem, String keyPem) {
    }

    /** What redeeming an enrollment token came to. */
    public enum Outcome { OK, UNKNOWN, EXPIRED, USED_UP }

    /** {@code spiffeId} is set unless {@code outcome} is UNKNOWN. */
    public record Redemption(Outcome outcome, String spiffeId, long expiresMillis, int uses) {
    }

    public record Binding(String spiffeId, String roleArn) {
    }

    /** The last certificate issued to an agent; {@code tokenHash} is "" for an AWS proof. */
    public record IssuedCert(String agentId, String spiffeId, String serial, long notAfterMillis, String tokenHash) {
    }

    /** A workload a relay published: a serialized MeshWorkload. */
    public record Workload(String relayId, String agentId, byte[] workload) {
    }

    private final Db db;

    MeshStore(Db db) {
        this.db = db;
    }

    /** Stores {@code ca} unless a CA is stored already; returns the stored one (which may be another relay's). */
    public StoredCa caInsertIfAbsent(StoredCa ca, long nowMillis) throws StoreException {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ward_mesh_ca (id, cert_pem, key_pem, "
                    + "created_millis) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                ps.setString(1, ca.certPem());
                ps.setString(2, ca.keyPem());
                ps.setLong(3, nowMillis);
                ps.executeUpdate();
            }
            return ca(c).orElseThrow();
        });
    }

    public Optional<StoredCa> ca() throws StoreException {
        return db.call(MeshStore::ca);
    }

    public void createToken(String hash, String spiffeId, long expiresMillis, int uses, long nowMillis)
            throws StoreException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ward_mesh_tokens (token_hash, spiffe_id, "
                    + "expires_millis, uses, used, created_millis) VALUES (?, ?, ?, ?, 0, ?)")) {
                ps.setString(1, hash);
                ps.setString(2, spiffeId);
                ps.setLong(3, expiresMillis);
                ps.setInt(4, uses);
                ps.setLong(5, nowMillis);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Uses the token {@code hash} for {@code agentId}: an agent already counted may use it again until it expires,
     * and after that while it holds an unexpired certificate obtained with it; a new agent needs the token
     * unexpired and a use left, which it takes (the conditional update makes two relays unable to overspend it).
     */
    public Redemption redeem(String hash, String agentId, long nowMillis) throws StoreException {
        return db.transaction(c -> {
            String spiffe;
            long expires;
            int uses;
            try (PreparedStatement ps = c.prepareStatement("SELECT spiffe_id, expires_millis, uses FROM "
                    + "ward_mesh_tokens WHERE token_hash = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new Redemption(Outcome.UNKNOWN, "", 0, 0);
                    }
                    spiffe = rs.getString(1);
                    expires = rs.getLong(2);
                    uses = rs.getInt(3);
                }
            }
            boolean known = exists(c, "SELECT 1 FROM ward_mesh_token_agents WHERE token_hash = ? AND agent_id = ?",
                    hash, agentId);
            if (nowMillis >= expires) {
                boolean renewing = known && exists(c, "SELECT 1 FROM ward_mesh_certs WHERE token_hash = ? AND "
                        + "agent_id = ? AND not_after_millis > " + nowMillis, hash, agentId);
                return new Redemption(renewing ? Outcome.OK : Outcome.EXPIRED, spiffe, expires, uses);
            }
            if (known) {
                return new Redemption(Outcome.OK, spiffe, expires, uses);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE ward_mesh_tokens SET used = used + 1 "
                    + "WHERE token_hash = ? AND used < uses")) {
                ps.setString(1, hash);
                if (ps.executeUpdate() == 0) {
                    return new Redemption(Outcome.USED_UP, spiffe, expires, uses);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ward_mesh_token_agents (token_hash, agent_id) "
                    + "VALUES (?, ?) ON CONFLICT (token_hash, agent_id) DO NOTHING")) {
                ps.setString(1, hash);
                ps.setString(2, agentId);
                ps.executeUpdate();
            }
            return new Redemption(Outcome.OK, spiffe, expires, uses);
        });
    }

    public void bind(String spiffeId, String roleArn, String account, String roleName) throws StoreException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ward_mesh_bindings (spiffe_id, role_arn, "
                    + "account, role_name) VALUES (?, ?, ?, ?) ON CONFLICT (spiffe_id, role_arn) DO NOTHING")) {
                ps.setString(1, spiffeId);
                ps.setString(2, roleArn);
                ps.setString(3, account);
                ps.setString(4, roleName);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Removes one binding, or every binding of the identity when {@code roleArn} is null; how many went. */
    public int unbind(String spiffeId, String roleArn) throws StoreException {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ward_mesh_bindings WHERE spiffe_id = ?"
                    + (roleArn == null ? "" : " AND role_arn = ?"))) {
                ps.setString(1, spiffeId);
                if (roleArn != null) {
                    ps.setString(2, roleArn);
                }
                return ps.executeUpdate();
            }
        });
    }

    public List<Binding> bindings() throws StoreException {
        return db.call(c -> {
            List<Binding> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT spiffe_id, role_arn FROM ward_mesh_bindings "
                    + "ORDER BY spiffe_id, role_arn"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Binding(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        });
    }

    /** The bindings of the role {@code roleName} in {@code account}, whatever its path. */
    public List<Binding> boundTo(String account, String roleName) throws StoreException {
        return db.call(c -> {
            List<Binding> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT spiffe_id, role_arn FROM ward_mesh_bindings "
                    + "WHERE account = ? AND role_name = ? ORDER BY spiffe_id")) {
                ps.setString(1, account);
                ps.setString(2, roleName);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Binding(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    /** Records the certificate an agent now holds (replacing its previous one) and counts it. */
    public void recordCert(IssuedCert cert, long nowMillis) throws StoreException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ward_mesh_certs (agent_id, spiffe_id, serial, "
                    + "not_after_millis, token_hash, issued_millis) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (agent_id) "
                    + "DO UPDATE SET spiffe_id = excluded.spiffe_id, serial = excluded.serial, not_after_millis = "
                    + "excluded.not_after_millis, token_hash = excluded.token_hash, issued_millis = "
                    + "excluded.issued_millis")) {
                ps.setString(1, cert.agentId());
                ps.setString(2, cert.spiffeId());
                ps.setString(3, cert.serial());
                ps.setLong(4, cert.notAfterMillis());
                ps.setString(5, cert.tokenHash());
                ps.setLong(6, nowMillis);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE ward_mesh_counters SET issued = issued + 1 "
                    + "WHERE id = 1")) {
                ps.executeUpdate();
            }
            return null;
        });
    }

    public Optional<IssuedCert> cert(String agentId) throws StoreException {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT spiffe_id, serial, not_after_millis, token_hash "
                    + "FROM ward_mesh_certs WHERE agent_id = ?")) {
                ps.setString(1, agentId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new IssuedCert(agentId, rs.getString(1), rs.getString(2),
                            rs.getLong(3), rs.getString(4))) : Optional.empty();
                }
            }
        });
    }

    public long issuedCount() throws StoreException {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT issued FROM ward_mesh_counters WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** Adds or replaces ({@code workload} non-null) or removes this relay's row for an agent. */
    public void publishWorkload(String relayId, String agentId, byte[] workload, long nowMillis) throws StoreException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(workload == null
                    ? "DELETE FROM ward_mesh_workloads WHERE relay_id = ? AND agent_id = ?"
                    : "INSERT INTO ward_mesh_workloads (relay_id, agent_id, workload, updated_millis) VALUES "
                            + "(?, ?, ?, ?) ON CONFLICT (relay_id, agent_id) DO UPDATE SET workload = "
                            + "excluded.workload, updated_millis = excluded.updated_millis")) {
                ps.setString(1, relayId);
                ps.setString(2, agentId);
                if (workload != null) {
                    ps.setBytes(3, workload);
                    ps.setLong(4, nowMillis);
                }
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The workloads of the relays whose heartbeat is at {@code aliveSinceMillis} or later (other relays' rows;
     * the rows of relays gone from ward_relays are deleted on the way).
     */
    public List<Workload> workloads(long aliveSinceMillis) throws StoreException {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ward_mesh_workloads WHERE relay_id NOT IN "
                    + "(SELECT relay_id FROM ward_relays)")) {
                ps.executeUpdate();
            }
            List<Workload> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT w.relay_id, w.agent_id, w.workload FROM "
                    + "ward_mesh_workloads w JOIN ward_relays r ON r.relay_id = w.relay_id WHERE "
                    + "r.heartbeat_millis >= ? ORDER BY w.relay_id, w.agent_id")) {
                ps.setLong(1, aliveSinceMillis);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Workload(rs.getString(1), rs.getString(2), rs.getBytes(3)));
                    }
                }
            }
            return out;
        });
    }

    /** Removes this relay's workloads (it is closing). */
    public void leave(String relayId) throws StoreException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ward_mesh_workloads WHERE relay_id = ?")) {
                ps.setString(1, relayId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void close() {
        db.close();
    }

    private static Optional<StoredCa> ca(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT cert_pem, key_pem FROM ward_mesh_ca WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new StoredCa(rs.getString(1), rs.getString(2))) : Optional.empty();
        }
    }

    private static boolean exists(Connection c, String sql, String a, String b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, a);
            ps.setString(2, b);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
