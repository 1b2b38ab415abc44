package dev.ward.relay;

import dev.ward.relay.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What the relay offers its web console ({@link RelayConsole}): who may log in, the store, the policies (changed
 * exactly as {@code ward policy add|delete} change them), the fleet and the live alerts.
 */
public final class ConsoleHost {
    /** A console login's role: read watches, admin also changes policies. */
    public enum Role { read, admin }

    private final byte[] adminToken;
    private final byte[] readToken;
    private final Store store;

    ConsoleHost(RelayServer.Settings settings, Store store) {
        this.adminToken = digest(settings.adminToken());
        this.readToken = digest(settings.readToken());
        this.store = store;
    }

    /** Whether anyone can log in: a console without a read or admin token would show the fleet to anyone. */
    public boolean hasLogin() {
        return adminToken != null || readToken != null;
    }

    /** The role {@code token} logs in as, null if none (compared in constant time, whatever the lengths). */
    public Role role(String token) {
        byte[] given = digest(token);
        boolean admin = adminToken != null && given != null && MessageDigest.isEqual(adminToken, given);
        boolean read = readToken != null && given != null && MessageDigest.isEqual(readToken, given);
        return admin ? Role.admin : read ? Role.read : null;
    }

    public Store store() {
        return store;
    }

    private static byte[] digest(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.strip().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
