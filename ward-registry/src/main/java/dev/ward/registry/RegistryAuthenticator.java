package dev.ward.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Supplier;

/**
 * The registry's authentication dance for one image: parses a {@code WWW-Authenticate} challenge and answers it
 * with a Bearer token from the token service (refusing a token service that is not HTTPS unless allowed) or with
 * Basic credentials. Which credentials is {@link Credentials}' business; it is given the one found.
 */
final class RegistryAuthenticator {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final RegistryClient.Settings settings;
    private final String image;
    private final ImageReference ref;
    /** The actions asked for when the challenge names no scope: pull, or pull and push. */
    private final String actions;

    RegistryAuthenticator(HttpClient http, RegistryClient.Settings settings, String image, ImageReference ref,
                          boolean push) {
        this.http = http;
        this.settings = settings;
        this.image = image;
        this.ref = ref;
        this.actions = push ? "pull,push" : "pull";
    }

    /**
     * Answers a 401 challenge with a Bearer token (from the challenge's token service, with {@code cred} when there
     * is one) or Basic credentials; {@code unauthorized} words the refusal.
     */
    String authorize(String header, Credentials.Found cred, Supplier<RegistryException> unauthorized)
            throws RegistryException {
        Challenge ch;
        try {
            ch = Challenge.parse(header);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(image + ": " + ref.registry() + " sent a malformed challenge: " + e.getMessage(), e);
        }
        return switch (ch.scheme()) {
            case "bearer" -> "Bearer " + token(ch, cred, unauthorized);
            case "basic" -> {
                if (cred == null) {
                    throw unauthorized.get();
                }
                yield cred.credential().basicHeader();
            }
            default -> throw new RegistryException(image + ": " + ref.registry() + " asks for unsupported auth scheme '"
                    + ch.scheme() + "'");
        };
    }

    private String token(Challenge ch, Credentials.Found cred, Supplier<RegistryException> unauthorized)
            throws RegistryException {
        String realm = ch.param("realm");
        URI realmUri;
        try {
            realmUri = realm == null ? null : URI.create(realm);
        } catch (IllegalArgumentException e) {
            realmUri = null;
        }
        if (realmUri == null || realmUri.getHost() == null) {
            throw new RegistryException(image + ": " + ref.registry() + " sent a Bearer challenge without a valid realm: " + realm);
        }
        if (!"https".equals(realmUri.getScheme())
                && !("http".equals(realmUri.getScheme()) && settings.isInsecure(realmUri.getRawAuthority()))) {
            throw new RegistryException(image + ": token service " + realm + " is not HTTPS; refused (allow it with"
                    + " --insecure-registry " + realmUri.getRawAuthority() + ")");
        }
        StringBuilder q = new StringBuilder();
        if (ch.param("service") != null) {
            q.append("service=").append(RegistryHttp.enc(ch.param("service")));
        }
        String scope = ch.param("scope") != null ? ch.param("scope") : "repository:" + ref.repository() + ":" + actions;
        // several scopes (a cross-repository mount: push here, pull there) are one scope parameter each
        for (String one : scope.strip().split("\\s+")) {
            q.append(q.isEmpty() ? "" : "&").append("scope=").append(RegistryHttp.enc(one));
        }
        URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + q);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.timeout()).GET()
                .header("User-Agent", "ward-registry");
        if (cred != null) {
            b.header("Authorization", cred.credential().basicHeader());
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RegistryException(image + ": token service " + realmUri.getRawAuthority() + " unreachable ("
                    + RegistryHttp.describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(image + ": interrupted", e);
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw unauthorized.get();
        }
        if (r.statusCode() != 200) {
            throw new RegistryException(image + ": token service " + realm + " answered HTTP " + r.statusCode()
                    + RegistryHttp.snippet(r.body()));
        }
        try {
            JsonNode json = JSON.readTree(r.body());
            String token = json.path("token").asText("");
            if (token.isEmpty()) {
                token = json.path("access_token").asText("");
            }
            if (token.isEmpty()) {
                throw new RegistryException(image + ": token service " + realm + " answered without token/access_token");
            }
            return token;
        } catch (IOException e) {
            throw new RegistryException(image + ": token service " + realm + " answered with invalid JSON", e);
        }
    }
}
