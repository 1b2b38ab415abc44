package dev.ward.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials from the auth files {@code podman login} and {@code docker login} write:
 * {@code {"auths": {"HOST[/PATH]": {"auth": base64(user:password)}}}}. The credential helpers the same files name
 * ({@code credsStore}, {@code credHelpers}) are {@link CredentialHelpers}' business.
 */
final class AuthFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuthFiles() {
    }

    /** The files podman and docker read, in podman's order; missing ones are skipped when read. */
    static List<Path> defaultPaths(Map<String, String> env, Path home) {
        List<Path> paths = new ArrayList<>();
        if (notEmpty(env.get("REGISTRY_AUTH_FILE"))) {
            paths.add(Path.of(env.get("REGISTRY_AUTH_FILE")));
        }
        if (notEmpty(env.get("XDG_RUNTIME_DIR"))) {
            paths.add(Path.of(env.get("XDG_RUNTIME_DIR"), "containers", "auth.json"));
        }
        if (home != null) {
            paths.add(home.resolve(".config/containers/auth.json"));
        }
        if (notEmpty(env.get("DOCKER_CONFIG"))) {
            paths.add(Path.of(env.get("DOCKER_CONFIG"), "config.json"));
        }
        if (home != null) {
            paths.add(home.resolve(".docker/config.json"));
        }
        return List.copyOf(paths);
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    /** The first file's best (longest key) entry for {@code ref}. */
    static Optional<RegistryCredential> lookup(List<Path> files, ImageReference ref) throws RegistryException {
        for (Path file : files) {
            if (Files.isRegularFile(file)) {
                Optional<RegistryCredential> c = lookup(file, ref);
                if (c.isPresent()) {
                    return c;
                }
            }
        }
        return Optional.empty();
    }

    static Optional<RegistryCredential> lookup(Path file, ImageReference ref) throws RegistryException {
        JsonNode root = read(file);
        JsonNode auths = root == null ? null : root.get("auths");
        if (auths == null || !auths.isObject()) {
            return Optional.empty();
        }
        String host = normalizeHost(ref.registry());
        String full = host + "/" + ref.repository();
        String bestKey = null;
        JsonNode best = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = normalizeKey(e.getKey());
            boolean matches = key.equals(host) || full.equals(key) || full.startsWith(key + "/");
            if (matches && (bestKey == null || key.length() > bestKey.length())) {
                bestKey = key;
                best = e.getValue();
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        String where = "auth file " + file + ": auths." + bestKey;
        JsonNode auth = best.get("auth");
        if (auth != null && auth.isTextual() && !auth.asText().isEmpty()) {
            RegistryCredential c = RegistryCredential.decodeBasic(auth.asText());
            if (c == null) {
                throw new RegistryException(where + ".auth: expected base64 of USER:PASSWORD");
            }
            return Optional.of(c);
        }
        JsonNode user = best.get("username");
        JsonNode password = best.get("password");
        if (user != null && password != null && user.isTextual() && password.isTextual()) {
            return Optional.of(new RegistryCredential(user.asText(), password.asText()));
        }
        return Optional.empty();
    }

    /** An auth file's JSON (null for an empty file); the error names the file. */
    static JsonNode read(Path file) throws RegistryException {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new RegistryException("auth file " + file + ": not valid JSON (" + e.getMessage() + ")", e);
        }
    }

    /** Auth file keys may carry a scheme and an API path ({@code https://index.docker.io/v1/}). */
    static String normalizeKey(String key) {
        String k = key;
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
            int slash = k.indexOf('/');
            if (slash >= 0) {
                k = k.substring(0, slash); // docker writes URLs with API paths, never repositories
            }
        }
        while (k.endsWith("/")) {
            k = k.substring(0, k.length() - 1);
        }
        int slash = k.indexOf('/');
        String host = slash < 0 ? k : k.substring(0, slash);
        return normalizeHost(host) + (slash < 0 ? "" : k.substring(slash));
    }

    static String normalizeHost(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return switch (h) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> "docker.io";
            default -> h;
        };
    }
}
