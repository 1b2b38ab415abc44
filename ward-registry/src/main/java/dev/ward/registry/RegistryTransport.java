package dev.ward.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
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
 * HTTP for the registry API: scheme choice (HTTPS; plain HTTP only for insecure registries), bounded reads,
 * redirects that drop credentials when leaving the registry, digest checks. A 401 goes to the
 * {@link RegistryAuthenticator} with the credential {@link Credentials} found. Shared by all sessions of one {@link RegistryClient}; caches are concurrent.
 */
final class RegistryTransport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REDIRECTS = 5;
    private static final int ERROR_BODY_LIMIT = 8192;

    private final RegistryClient.Settings settings;
    private volatile HttpClient http;
    /** registry -> "https" or "http". */
    private final ConcurrentMap<String, String> schemes = new ConcurrentHashMap<>();
    /** registry/repository -> Authorization header value. */
    private final ConcurrentMap<String, String> authorizations = new ConcurrentHashMap<>();

    private final Credentials credentials;

    RegistryTransport(RegistryClient.Settings settings) {
        this.settings = settings;
        this.credentials = Credentials.of(settings, System.getenv());
    }

    private HttpClient http() {
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

    Session session(String image, ImageReference ref) {
        return new Session(image, ref);
    }

    private record Response(int status, java.net.http.HttpHeaders headers, byte[] body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** Requests for one image; not thread-safe (one per {@link RegistryClient#config} call). */
    final class Session {
        private final String image;
        private final ImageReference ref;
        private final String authKey;
        private Credentials.Found found;
        private boolean credentialsLooked;

        Session(String image, ImageReference ref) {
            this.image = image;
            this.ref = ref;
            this.authKey = ref.registry() + "/" + ref.repository();
        }

        /** The chain's credential for this image, looked up once per session (see {@link Credentials}). */
        Credentials.Found credential() throws RegistryException {
            if (!credentialsLooked) {
                credentialsLooked = true;
                found = credentials.find(ref, image).orElse(null);
            }
            return found;
        }

        /** A manifest or index by tag or digest; verified when {@code expectedDigest} is given. */
        Manifests.Fetched manifest(String reference, String expectedDigest) throws RegistryException {
            Response r = get("/manifests/" + reference, Manifests.ACCEPT, settings.maxManifestBytes(), "manifest " + reference);
            if (r.status() == 404) {
                String code = errorCode(r.body());
                if ("NAME_UNKNOWN".equals(code)) {
                    throw new RegistryException(image + ": not found: repository " + ref.repository() + " does not exist on "
                            + ref.registry());
                }
                throw new RegistryException(image + ": not found: " + (reference.startsWith("sha256:")
                        ? "no manifest " + reference : "no tag '" + reference + "'") + " in " + ref.repository()
                        + " on " + ref.registry());
            }
            expectOk(r, "manifest " + reference);
            String digest = sha256(r.body());
            if (expectedDigest != null && !expectedDigest.equals(digest)) {
                throw new RegistryException(image + ": digest mismatch: asked for manifest " + expectedDigest
                        + ", received content with digest " + digest);
            }
            return Manifests.parse(image, digest, r.header("Content-Type"), r.body());
        }

        /** A blob by digest (following redirects), verified. */
        byte[] blob(String digest, long max) throws RegistryException {
            if (!digest.startsWith("sha256:")) {
                throw new RegistryException(image + ": blob " + digest + " uses an unsupported digest algorithm (only sha256)");
            }
            Response r = get("/blobs/" + digest, "*/*", max, "config blob " + digest);
            if (r.status() == 404) {
                throw new RegistryException(image + ": not found: config blob " + digest + " is missing from "
                        + ref.repository() + " on " + ref.registry());
            }
            expectOk(r, "config blob " + digest);
            String actual = sha256(r.body());
            if (!digest.equals(actual)) {
                throw new RegistryException(image + ": digest mismatch: asked for blob " + digest
                        + ", received content with digest " + actual);
            }
            return r.body();
        }

        private void expectOk(Response r, String what) throws RegistryException {
            switch (r.status()) {
                case 200 -> { }
                case 401, 403 -> throw unauthorized(r);
                case 429 -> throw new RegistryException(image + ": " + ref.registry() + " refused " + what
                        + " with HTTP 429 (rate limited; Docker Hub limits anonymous pulls: pass --registry-auth)");
                default -> throw new RegistryException(image + ": " + ref.registry() + " answered HTTP " + r.status()
                        + " for " + what + RegistryHttp.snippet(r.body()));
            }
        }

        private Response get(String path, String accept, long max, String what) throws RegistryException {
            URI uri = URI.create(scheme() + "://" + ref.registry() + "/v2/" + ref.repository() + path);
            Response r = send(uri, accept, authorizations.get(authKey), max, what);
            if (r.status() == 401) {
                String challenge = r.header("WWW-Authenticate");
                if (challenge == null) {
                    throw unauthorized(r);
                }
                String auth = new RegistryAuthenticator(http(), settings, image, ref)
                        .authorize(challenge, credential(), () -> unauthorized(null));
                authorizations.put(authKey, auth);
                r = send(uri, accept, auth, max, what);
            }
            return r;
        }

        private String scheme() throws RegistryException {
            String s = schemes.get(ref.registry());
            if (s != null) {
                return s;
            }
            if (!settings.isInsecure(ref.registry())) {
                s = "https";
            } else {
                // Insecure registries may still speak TLS: try it first, as docker and podman do.
                try {
                    HttpRequest probe = HttpRequest.newBuilder(URI.create("https://" + ref.registry() + "/v2/"))
                            .timeout(settings.timeout()).GET().build();
                    http().send(probe, HttpResponse.BodyHandlers.discarding());
                    s = "https";
                } catch (IOException e) {
                    // A server speaking TLS with a certificate we do not trust is not a plain HTTP server.
                    if (!RegistryHttp.isTls(e) || RegistryHttp.hasCause(e, java.security.cert.CertificateException.class)) {
                        throw unreachable(e);
                    }
                    s = "http";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RegistryException(image + ": interrupted", e);
                }
            }
            schemes.put(ref.registry(), s);
            return s;
        }

        /** GET with manual redirects: the Authorization header goes only to the registry's own origin. */
        private Response send(URI uri, String accept, String auth, long max, String what) throws RegistryException {
            URI current = uri;
            for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
                HttpRequest.Builder b = HttpRequest.newBuilder(current).timeout(settings.timeout()).GET()
                        .header("Accept", accept).header("User-Agent", "ward-registry");
                if (auth != null && sameOrigin(uri, current)) {
                    b.header("Authorization", auth);
                }
                HttpResponse<InputStream> resp;
                try {
                    resp = http().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
                } catch (IOException e) {
                    throw unreachable(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RegistryException(image + ": interrupted", e);
                }
                int status = resp.statusCode();
                if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                    String location = resp.headers().firstValue("Location").orElse(null);
                    close(resp);
                    if (location == null) {
                        throw new RegistryException(image + ": " + ref.registry() + " redirected " + what + " without a Location");
                    }
                    URI next = current.resolve(location);
                    if ("http".equals(next.getScheme()) && "https".equals(current.getScheme())
                            && !settings.isInsecure(next.getRawAuthority())) {
                        throw new RegistryException(image + ": " + what + " redirected from HTTPS to plain HTTP (" + next.getHost()
                                + "); refused (allow it with --insecure-registry " + next.getRawAuthority() + ")");
                    }
                    current = next;
                    continue;
                }
                long limit = status == 200 ? max : ERROR_BODY_LIMIT;
                long declared = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (status == 200 && declared > max) {
                    close(resp);
                    throw tooLarge(what, max);
                }
                byte[] body = readBounded(resp, limit, status == 200, what);
                return new Response(status, resp.headers(), body);
            }
            throw new RegistryException(image + ": more than " + MAX_REDIRECTS + " redirects for " + what);
        }

        private byte[] readBounded(HttpResponse<InputStream> resp, long limit, boolean strict, String what)
                throws RegistryException {
            try (InputStream in = resp.body()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[16384];
                long total = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    total += n;
                    if (total > limit) {
                        if (strict) {
                            throw tooLarge(what, limit);
                        }
                        break; // an error body: the start is enough for the message
                    }
                    out.write(buf, 0, n);
                }
                return out.toByteArray();
            } catch (IOException e) {
                throw new RegistryException(image + ": reading " + what + " from " + ref.registry() + " failed: " + e, e);
            }
        }

        private RegistryException tooLarge(String what, long limit) {
            return new RegistryException(image + ": " + what + " is larger than the limit of " + limit + " bytes");
        }

        private RegistryException unauthorized(Response r) {
            String host = ref.registry();
            String why;
            if (found != null) {
                why = "the credentials from " + found.source() + " were refused or lack pull access to " + ref.repository();
            } else if (settings.ecr() && Ecr.parse(host).isPresent()) {
                why = "no AWS credentials found for the ECR login (set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)";
            } else {
                why = "no credentials for " + host;
            }
            String hint = " Pass --registry-auth " + host + "=USER:PASSWORD (or --registry-auth-env/--registry-auth-file),"
                    + " or log in with podman login / docker login.";
            String detail = r == null ? "" : RegistryHttp.snippet(r.body());
            return new RegistryException(image + ": unauthorized at " + host + " (" + why + ")" + detail + "." + hint);
        }

        private RegistryException unreachable(IOException e) {
            if (RegistryHttp.isTls(e)) {
                return new RegistryException(image + ": TLS with " + ref.registry() + " failed (" + RegistryHttp.describe(e) + "); for a"
                        + " self-signed registry pass --registry-ca-cert FILE, for plain HTTP --insecure-registry "
                        + ref.registry(), e);
            }
            return new RegistryException(image + ": registry " + ref.registry() + " unreachable (" + RegistryHttp.describe(e) + ")", e);
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
    }

    private static void close(HttpResponse<InputStream> r) {
        try {
            r.body().close();
        } catch (IOException e) {
            // nothing to do: the connection is dropped
        }
    }

    private static String errorCode(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n == null ? null : n.path("errors").path(0).path("code").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
