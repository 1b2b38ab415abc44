package dev.ward.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The requests for one image (one repository of one registry): any method, bounded reads, redirects that drop
 * credentials when leaving the registry, a 401 answered by the {@link RegistryAuthenticator} with the credential
 * {@link Credentials} found, digest checks, and errors worded for the user. Not thread-safe: one per operation.
 */
final class RegistrySession {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REDIRECTS = 5;
    private static final int ERROR_BODY_LIMIT = 8192;

    /** A response read into memory (bounded). */
    record Response(int status, java.net.http.HttpHeaders headers, byte[] body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private final RegistryTransport transport;
    private final RegistryClient.Settings settings;
    private final String image;
    private final ImageReference ref;
    private final boolean push;
    private final String authKey;
    private Credentials.Found found;
    private boolean credentialsLooked;

    RegistrySession(RegistryTransport transport, String image, ImageReference ref, boolean push) {
        this.transport = transport;
        this.settings = transport.settings();
        this.image = image;
        this.ref = ref;
        this.push = push;
        this.authKey = ref.registry() + "/" + ref.repository();
    }

    /** The chain's credential for this image, looked up once per session (see {@link Credentials}). */
    Credentials.Found credential() throws RegistryException {
        if (!credentialsLooked) {
            credentialsLooked = true;
            found = transport.credentials().find(ref, image).orElse(null);
        }
        return found;
    }

    /** A manifest or index by tag or digest; verified when {@code expectedDigest} is given. */
    Manifests.Fetched manifest(String reference, String expectedDigest) throws RegistryException {
        String what = "manifest " + reference;
        Response r = read(request("GET", uri("/manifests/" + reference), Manifests.ACCEPT, null, null, what),
                settings.maxManifestBytes(), what);
        if (r.status() == 404) {
            if ("NAME_UNKNOWN".equals(errorCode(r.body()))) {
                throw new RegistryException(image + ": not found: repository " + ref.repository() + " does not exist on "
                        + ref.registry());
            }
            throw new RegistryException(image + ": not found: " + (reference.startsWith("sha256:")
                    ? "no manifest " + reference : "no tag '" + reference + "'") + " in " + ref.repository()
                    + " on " + ref.registry());
        }
        expectStatus(r, 200, what);
        String digest = RegistryTransport.sha256(r.body());
        if (expectedDigest != null && !expectedDigest.equals(digest)) {
            throw new RegistryException(image + ": digest mismatch: asked for manifest " + expectedDigest
                    + ", received content with digest " + digest);
        }
        return Manifests.parse(image, digest, r.header("Content-Type"), r.body());
    }

    /** A blob by digest (following redirects) into memory, at most {@code max} bytes, verified. */
    byte[] blob(String digest, long max) throws RegistryException {
        String what = "config blob " + digest;
        Response r = read(request("GET", blobUri(digest), "*/*", null, null, what), max, what);
        if (r.status() == 404) {
            throw notFound(what);
        }
        expectStatus(r, 200, what);
        verify(digest, RegistryTransport.sha256(r.body()));
        return r.body();
    }

    /** A blob by digest (following redirects) into {@code file}, streamed and verified. */
    void download(Descriptor blob, Path file) throws RegistryException {
        download(blob, file, TransferProgress.NONE);
    }

    /** Like {@link #download(Descriptor, Path)}, reporting the bytes read to {@code progress}. */
    void download(Descriptor blob, Path file, TransferProgress progress) throws RegistryException {
        String what = "blob " + blob.digest();
        HttpResponse<InputStream> r = request("GET", blobUri(blob.digest()), "*/*", null, null, what);
        if (r.statusCode() != 200) {
            Response error = bounded(r, ERROR_BODY_LIMIT, false, what);
            if (error.status() == 404) {
                throw notFound(what);
            }
            expectStatus(error, 200, what);
        }
        MessageDigest sha = RegistryTransport.digester();
        long total = 0;
        try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
                progress.advanced(blob, total);
            }
        } catch (IOException e) {
            throw new RegistryException(image + ": reading " + what + " from " + ref.registry() + " failed: " + e, e);
        }
        verify(blob.digest(), "sha256:" + HexFormat.of().formatHex(sha.digest()));
        if (blob.size() >= 0 && total != blob.size()) {
            throw new RegistryException(image + ": " + what + " is " + total + " bytes, its descriptor says " + blob.size());
        }
    }

    /** {@code scheme://registry/v2/repository} + {@code path}. */
    URI uri(String path) throws RegistryException {
        try {
            return URI.create(transport.scheme(ref.registry()) + "://" + ref.registry() + "/v2/" + ref.repository() + path);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(image + ": interrupted", e);
        }
    }

    /**
     * Sends a request with the repository's Authorization (answering a 401 challenge once: then again with the
     * new one); GET and HEAD follow redirects. The caller reads or closes the body. {@code body} must be
     * re-sendable (bytes, a file) or null.
     */
    HttpResponse<InputStream> request(String method, URI uri, String accept, String contentType,
                                      HttpRequest.BodyPublisher body, String what) throws RegistryException {
        HttpResponse<InputStream> r = send(method, uri, accept, contentType, body,
                transport.authorizations().get(authKey), what);
        if (r.statusCode() == 401) {
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse(null);
            if (challenge == null) {
                throw unauthorized(bounded(r, ERROR_BODY_LIMIT, false, what));
            }
            RegistryTransport.close(r);
            String auth = new RegistryAuthenticator(transport.http(), settings, image, ref, push)
                    .authorize(challenge, credential(), () -> unauthorized(null));
            transport.authorizations().put(authKey, auth);
            r = send(method, uri, accept, contentType, body, auth, what);
        }
        return r;
    }

    /** The response read into memory: at most {@code max} bytes of a 2xx body (more is an error), less of others. */
    Response read(HttpResponse<InputStream> r, long max, String what) throws RegistryException {
        boolean ok = r.statusCode() / 100 == 2;
        if (ok && r.headers().firstValueAsLong("Content-Length").orElse(-1) > max) {
            RegistryTransport.close(r);
            throw tooLarge(what, max);
        }
        return bounded(r, ok ? max : ERROR_BODY_LIMIT, ok, what);
    }

    /** Throws the error for an unexpected status: unauthorized, rate limited, or the registry's own words. */
    void expectStatus(Response r, int expected, String what) throws RegistryException {
        if (r.status() == expected) {
            return;
        }
        switch (r.status()) {
            case 401, 403 -> throw unauthorized(r);
            case 429 -> throw new RegistryException(image + ": " + ref.registry() + " refused " + what
                    + " with HTTP 429 (rate limited; Docker Hub limits anonymous pulls: pass --registry-auth)");
            default -> throw new RegistryException(image + ": " + ref.registry() + " answered HTTP " + r.status()
                    + " for " + what + RegistryHttp.snippet(r.body()));
        }
    }

    String image() {
        return image;
    }

    ImageReference ref() {
        return ref;
    }

    private URI blobUri(String digest) throws RegistryException {
        if (!digest.startsWith("sha256:")) {
            throw new RegistryException(image + ": blob " + digest + " uses an unsupported digest algorithm (only sha256)");
        }
        return uri("/blobs/" + digest);
    }

    private void verify(String expected, String actual) throws RegistryException {
        if (!expected.equals(actual)) {
            throw new RegistryException(image + ": digest mismatch: asked for blob " + expected
                    + ", received content with digest " + actual);
        }
    }

    private RegistryException notFound(String what) {
        return new RegistryException(image + ": not found: " + what + " is missing from " + ref.repository() + " on "
                + ref.registry());
    }

    /** One request; the Authorization header goes only to the registry's own origin, also after redirects. */
    private HttpResponse<InputStream> send(String method, URI uri, String accept, String contentType,
                                           HttpRequest.BodyPublisher body, String auth, String what)
            throws RegistryException {
        URI registry = uri("/");
        boolean follow = method.equals("GET") || method.equals("HEAD");
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(current)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body)
                    .header("User-Agent", "ward-registry");
            if (body == null) {
                b.timeout(settings.timeout()); // an upload may take longer: only connecting is bounded then
            }
            if (accept != null) {
                b.header("Accept", accept);
            }
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            if (auth != null && RegistryTransport.sameOrigin(registry, current)) {
                b.header("Authorization", auth);
            }
            HttpResponse<InputStream> resp;
            try {
                resp = transport.http().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw unreachable(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(image + ": interrupted", e);
            }
            int status = resp.statusCode();
            if (!follow || !(status == 301 || status == 302 || status == 303 || status == 307 || status == 308)) {
                return resp;
            }
            String location = resp.headers().firstValue("Location").orElse(null);
            RegistryTransport.close(resp);
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
        }
        throw new RegistryException(image + ": more than " + MAX_REDIRECTS + " redirects for " + what);
    }

    private Response bounded(HttpResponse<InputStream> resp, long limit, boolean strict, String what)
            throws RegistryException {
        try (InputStream in = resp.body()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[16384];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > limit) {
                    if (strict) {
                        throw tooLarge(what, limit);
                    }
                    break; // an error body: the start is enough for the message
                }
                out.write(buf, 0, n);
            }
            return new Response(resp.statusCode(), resp.headers(), out.toByteArray());
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
            why = "the credentials from " + found.source() + " were refused or lack " + (push ? "push" : "pull")
                    + " access to " + ref.repository();
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
            return new RegistryException(image + ": TLS with " + ref.registry() + " failed (" + RegistryHttp.describe(e)
                    + "); for a self-signed registry pass --registry-ca-cert FILE, for plain HTTP --insecure-registry "
                    + ref.registry(), e);
        }
        return new RegistryException(image + ": registry " + ref.registry() + " unreachable (" + RegistryHttp.describe(e)
                + ")", e);
    }

    private static String errorCode(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n == null ? null : n.path("errors").path(0).path("code").asText(null);
        } catch (IOException e) {
            return null;
        }
    }
}
