package dev.ward.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A user name and password (or token) for a registry, used for Basic auth and to obtain Bearer tokens.
 * {@link #toString()} never shows the password.
 */
public record RegistryCredential(String username, String password) {
    public RegistryCredential {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** Decodes {@code base64(user:password)} as in auth files and ECR tokens; null when malformed. */
    static RegistryCredential decodeBasic(String base64) {
        byte[] raw;
        try {
            raw = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String text = new String(raw, StandardCharsets.UTF_8);
        int c = text.indexOf(':');
        return c <= 0 ? null : new RegistryCredential(text.substring(0, c), text.substring(c + 1));
    }

    /** The {@code Authorization} header value for Basic auth. */
    String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "RegistryCredential[" + username + ", password hidden]";
    }
}
