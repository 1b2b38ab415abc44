package dev.ward.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Credentials kept by a docker credential helper ({@code docker-credential-ecr-login}, {@code -pass},
 * {@code -secretservice}, ...), as the auth files name them: {@code credHelpers} maps a host to a helper,
 * {@code credsStore} names the helper for every other host. The helper runs as {@code docker-credential-NAME get}
 * with the server on its standard input and answers {@code {"Username": ..., "Secret": ...}}; a helper that knows
 * nothing of the server exits non-zero, and a helper that is not installed is skipped: both are no answer rather
 * than an error, so that anonymous pulls still work.
 */
final class CredentialHelpers implements Credentials.Retriever {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A helper that asks the user (a keychain prompt) must not hang ward. */
    private static final long TIMEOUT_SECONDS = 30;
    /** Docker's key for Docker Hub, which helpers store its credentials under. */
    private static final String DOCKER_HUB = "https://index.docker.io/v1/";

    private final List<Path> files;
    private final Map<String, String> env;

    CredentialHelpers(List<Path> files, Map<String, String> env) {
        this.files = List.copyOf(files);
        this.env = Map.copyOf(env);
    }

    @Override
    public Optional<Credentials.Found> retrieve(ImageReference ref, String image) throws RegistryException {
        String host = AuthFiles.normalizeHost(ref.registry());
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            Optional<String> helper = helperFor(file, host);
            if (helper.isPresent()) {
                return get(helper.get(), host.equals("docker.io") ? DOCKER_HUB : host, file);
            }
        }
        return Optional.empty();
    }

    /** {@code credHelpers}' entry for {@code host}, else {@code credsStore}. */
    static Optional<String> helperFor(Path file, String host) throws RegistryException {
        JsonNode root = AuthFiles.read(file);
        if (root == null) {
            return Optional.empty();
        }
        JsonNode helpers = root.path("credHelpers");
        for (var it = helpers.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (AuthFiles.normalizeKey(e.getKey()).equals(host) && e.getValue().isTextual()) {
                return Optional.of(e.getValue().asText());
            }
        }
        String store = root.path("credsStore").asText("");
        return store.isEmpty() ? Optional.empty() : Optional.of(store);
    }

    private Optional<Credentials.Found> get(String helper, String server, Path file) throws RegistryException {
        if (!helper.matches("[A-Za-z0-9._-]+")) {
            throw new RegistryException("auth file " + file + ": credential helper '" + helper + "' is not a helper name");
        }
        String exe = "docker-credential-" + helper;
        Path found = onPath(exe);
        if (found == null) {
            // as docker does for a pull: a helper that is not installed (Docker Desktop's "desktop" on a server) is
            // no credential, and public images still pull anonymously
            return Optional.empty();
        }
        String out;
        try {
            Process p = new ProcessBuilder(found.toString(), "get").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(server.getBytes(StandardCharsets.UTF_8));
            }
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new RegistryException(exe + " get did not answer within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                return Optional.empty(); // "credentials not found": the helper knows nothing of this server
            }
        } catch (IOException e) {
            throw new RegistryException("cannot run " + exe + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while running " + exe, e);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(out);
        } catch (IOException e) {
            throw new RegistryException(exe + " get answered with invalid JSON", e);
        }
        String user = answer == null ? "" : answer.path("Username").asText("");
        String secret = answer == null ? "" : answer.path("Secret").asText("");
        // "<token>" marks an identity token (an OAuth refresh token), which Basic and the token service do not take
        if (user.isEmpty() || secret.isEmpty() || user.equals("<token>")) {
            return Optional.empty();
        }
        return Optional.of(new Credentials.Found(new RegistryCredential(user, secret), "credential helper " + exe));
    }

    private Path onPath(String exe) {
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, exe);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }
}
