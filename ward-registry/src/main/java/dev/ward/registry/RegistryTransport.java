package dev.ward.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What the sessions of one {@link RegistryClient} share: the HTTP client, the scheme each registry speaks
 * (HTTPS; plain HTTP only for insecure registries), the Authorization header each repository was last granted and
 * the credential chain. The requests themselves are a {@link RegistrySession}'s. Thread-safe; caches are concurrent.
 */
final class RegistryTransport {
    private final RegistryClient.Settings settings;
    private final Credentials credentials;
    private volatile HttpClient http;
    /** registry -> "https" or "http". */
    private final ConcurrentMap<String, String> schemes = new ConcurrentHashMap<>();
    /** registry/repository -> Authorization header value. */
    private final ConcurrentMap<String, String> authorizations = new ConcurrentHashMap<>();

    RegistryTransport(RegistryClient.Settings settings) {
        this.settings = settings;
        this.credentials = Credentials.of(settings, System.getenv());
    }

    /** Requests for {@code image}: pulls, or pushes (which ask the token service for push access too). */
    RegistrySession session(String image, ImageReference ref, boolean push) {
        return new RegistrySession(this, image, ref, push);
    }

    RegistryClient.Settings settings() {
        return settings;
    }

    Credentials credentials() {
        return credentials;
    }

    ConcurrentMap<String, String> authorizations() {
        return authorizations;
    }

    HttpClient http() {
        HttpClient h = http;
        if (h == null) {
            synchronized (this) {
                if (http == null) {
                    HttpClient.Builder b = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(settings.timeout());
                    if (settings.sslContext() != null) {
                        b.sslContext(settings.sslContext());
                    }
                    http = b.build();
                }
                h = http;
            }
        }
        return h;
    }

    /**
     * {@code https} or {@code http} for {@code registry}, found once. Insecure registries may still speak TLS: it
     * is tried first, as docker and podman do; a server speaking TLS with a certificate we do not trust is not a
     * plain HTTP server, so that is an error, not a reason for plain HTTP.
     */
    String scheme(String registry) throws IOException, InterruptedException {
        String s = schemes.get(registry);
        if (s != null) {
            return s;
        }
        if (!settings.isInsecure(registry)) {
            s = "https";
        } else {
            try {
                HttpRequest probe = HttpRequest.newBuilder(URI.create("https://" + registry + "/v2/"))
                        .timeout(settings.timeout()).GET().build();
                http().send(probe, HttpResponse.BodyHandlers.discarding());
                s = "https";
            } catch (IOException e) {
                if (!RegistryHttp.isTls(e) || RegistryHttp.hasCause(e, java.security.cert.CertificateException.class)) {
                    throw e;
                }
                s = "http";
            }
        }
        schemes.put(registry, s);
        return s;
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
    }

    static void close(HttpResponse<InputStream> r) {
        try {
            r.body().close();
        } catch (IOException e) {
            // nothing to do: the connection is dropped
        }
    }

    static String sha256(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(digester().digest(bytes));
    }

    static MessageDigest digester() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
