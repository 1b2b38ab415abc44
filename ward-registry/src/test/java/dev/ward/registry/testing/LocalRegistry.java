package dev.ward.registry.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * The real distribution registry ({@code /usr/bin/docker-registry}, Debian package docker-registry) on
 * 127.0.0.1 with a free port and temporary storage, for tests. Optionally with token authentication
 * (a {@link TokenServer} on loopback issuing JWTs the registry verifies) or Basic authentication (a bcrypt
 * htpasswd file, see {@link Htpasswd}), and/or TLS (a self-signed certificate; trust it with
 * {@link #certificate()}). Also pushes test images over the registry HTTP API.
 *
 * <pre>{@code
 * try (LocalRegistry reg = LocalRegistry.builder().tokenAuth("alice", "s3cret").start()) {
 *     LocalRegistry.Pushed p = reg.push("team/app", "1.0", LocalRegistry.Format.OCI,
 *             TestImage.linux("amd64").withEntrypoint("/app"));
 *     // reg.host() is "127.0.0.1:PORT"; the image is reg.host() + "/team/app:1.0"
 * }
 * }</pre>
 */
public final class LocalRegistry implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The realm of the Basic challenge with {@link Builder#basicAuth}. */
    public static final String BASIC_REALM = "ward-test";

    /** Manifest flavours: Docker v2 schema 2 or OCI. */
    public enum Format {
        DOCKER("application/vnd.docker.distribution.manifest.v2+json",
                "application/vnd.docker.distribution.manifest.list.v2+json",
                "application/vnd.docker.container.image.v1+json",
                "application/vnd.docker.image.rootfs.diff.tar.gzip"),
        OCI("application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
                "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip");

        public final String manifestType;
        public final String indexType;
        public final String configType;
        public final String layerType;

        Format(String manifestType, String indexType, String configType, String layerType) {
            this.manifestType = manifestType;
            this.indexType = indexType;
            this.configType = configType;
            this.layerType = layerType;
        }
    }

    /**
     * What a push stored.
     *
     * @param digest       the manifest (or index) digest
     * @param mediaType    its media type
     * @param manifest     its exact bytes
     * @param configDigest the config blob digest (null for an index)
     * @param children     the platform manifests of an index (empty for a manifest)
     */
    public record Pushed(String digest, String mediaType, byte[] manifest, String configDigest, List<Pushed> children) { }

    private final Path dir;
    private final Process process;
    private final int port;
    private final TestCertificate tls;
    private final TokenServer tokens;
    private final String basicUser;
    private final String basicPassword;
    /** Basic auth through htpasswd (rather than tokens) when true. */
    private final boolean htpasswd;
    private final HttpClient http;
    /** Stops the registry if the JVM exits without {@link #close()} (a killed test fork). */
    private final Thread reaper;

    private LocalRegistry(Builder b) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install docker-registry");
        }
        dir = Files.createTempDirectory("ward-registry-");
        TokenServer tokenServer = null;
        try {
            tls = b.tls ? TestCertificate.generate(dir, "tls") : null;
            if (b.tokenUser != null) {
                tokenServer = new TokenServer(TestCertificate.generate(dir, "token"), b.tokenUser, b.tokenPassword);
            }
            tokens = tokenServer;
            htpasswd = b.basicUser != null;
            basicUser = htpasswd ? b.basicUser : b.tokenUser;
            basicPassword = htpasswd ? b.basicPassword : b.tokenPassword;
            if (htpasswd) {
                Htpasswd.write(dir.resolve("htpasswd"), basicUser, basicPassword);
            }
            port = freePort();
            Path config = dir.resolve("config.yml");
            Files.writeString(config, config(b));
            Path log = dir.resolve("registry.log");
            ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("REGISTRY_"));
            process = pb.start();
            Process started = process;
            reaper = new Thread(started::destroyForcibly, "local-registry-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
            HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
            if (tls != null) {
                hb.sslContext(tls.trustingContext());
            }
            http = hb.build();
            awaitReady(log);
        } catch (IOException | RuntimeException e) {
            if (tokenServer != null) {
                tokenServer.close();
            }
            deleteTree(dir);
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An anonymous plain-HTTP registry. */
    public static LocalRegistry start() throws IOException {
        return builder().start();
    }

    /** Options; immutable steps are not needed for a test fixture, so this builder is a plain one. */
    public static final class Builder {
        private boolean tls;
        private String tokenUser;
        private String tokenPassword;
        private String basicUser;
        private String basicPassword;

        /** Serve HTTPS with a self-signed certificate for 127.0.0.1 (see {@link #certificate()}). */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** Require bearer tokens from a loopback token server that accepts only {@code user:password}. */
        public Builder tokenAuth(String user, String password) {
            this.tokenUser = user;
            this.tokenPassword = password;
            return this;
        }

        /**
         * Require HTTP Basic credentials {@code user:password} (registry {@code auth: htpasswd}; the
         * registry answers 401 with {@code WWW-Authenticate: Basic realm="ward-test"}).
         */
        public Builder basicAuth(String user, String password) {
            this.basicUser = user;
            this.basicPassword = password;
            return this;
        }

        public LocalRegistry start() throws IOException {
            if (tokenUser != null && basicUser != null) {
                throw new IllegalStateException("LocalRegistry: tokenAuth and basicAuth exclude each other");
            }
            return new LocalRegistry(this);
        }
    }

    private String config(Builder b) {
        StringBuilder y = new StringBuilder();
        y.append("version: 0.1\n");
        y.append("log:\n  level: info\n  accesslog:\n    disabled: true\n");
        y.append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("storage")).append('\n');
        y.append("  delete:\n    enabled: true\n");
        y.append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
        y.append("  secret: ward-test-secret\n");
        if (tls != null) {
            y.append("  tls:\n    certificate: ").append(tls.certificatePem())
                    .append("\n    key: ").append(tls.keyPem()).append('\n');
        }
        if (tokens != null) {
            y.append("auth:\n  token:\n    realm: ").append(tokens.realm()).append('\n');
            y.append("    service: ").append(TokenServer.SERVICE).append('\n');
            y.append("    issuer: ").append(TokenServer.ISSUER).append('\n');
            y.append("    rootcertbundle: ").append(dir.resolve("token.crt")).append('\n');
        }
        if (htpasswd) {
            y.append("auth:\n  htpasswd:\n    realm: ").append(BASIC_REALM).append('\n');
            y.append("    path: ").append(dir.resolve("htpasswd")).append('\n');
        }
        return y.toString();
    }

    private void awaitReady(Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri().resolve("/v2/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200 || r.statusCode() == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the registry", e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the registry", e);
            }
        }
        process.destroyForcibly();
        throw new IOException("docker-registry did not answer /v2/ within 20 s: " + Files.readString(log));
    }

    /** {@code 127.0.0.1:PORT}: the registry part of image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** {@code http://} or {@code https://127.0.0.1:PORT}. */
    public URI uri() {
        return URI.create((tls != null ? "https" : "http") + "://" + host());
    }

    /** The TLS certificate, or null for plain HTTP. */
    public TestCertificate certificate() {
        return tls;
    }

    /** The token server, or null without token auth. */
    public TokenServer tokenServer() {
        return tokens;
    }

    /**
     * Where the filesystem driver keeps a blob's bytes (tests may corrupt it: the registry serves stored
     * blobs without re-checking them, so a client's digest check is what catches it).
     */
    public Path blobFile(String digest) {
        String hex = digest.substring("sha256:".length());
        return dir.resolve("storage/docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
    }

    /** The registry's log so far (for failure messages). */
    public String log() {
        try {
            return Files.readString(dir.resolve("registry.log"));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Pushes one platform manifest (config + layers) and tags it. */
    public Pushed push(String repository, String tag, Format format, TestImage image) throws IOException {
        Pushed p = pushManifest(repository, format, image);
        putManifest(repository, tag, p.mediaType(), p.manifest());
        return p;
    }

    /** Pushes each image's manifest, then an index (manifest list) of them under {@code tag}. */
    public Pushed pushIndex(String repository, String tag, Format format, List<TestImage> images) throws IOException {
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", format.indexType);
        ArrayNode manifests = index.putArray("manifests");
        List<Pushed> children = new ArrayList<>();
        for (TestImage image : images) {
            Pushed child = pushManifest(repository, format, image);
            children.add(child);
            ObjectNode d = manifests.addObject().put("mediaType", child.mediaType()).put("digest", child.digest())
                    .put("size", child.manifest().length);
            ObjectNode platform = d.putObject("platform").put("architecture", image.architecture()).put("os", image.os());
            if (image.variant() != null) {
                platform.put("variant", image.variant());
            }
        }
        byte[] bytes = JSON.writeValueAsBytes(index);
        String digest = putManifest(repository, tag, format.indexType, bytes);
        return new Pushed(digest, format.indexType, bytes, null, List.copyOf(children));
    }

    private Pushed pushManifest(String repository, Format format, TestImage image) throws IOException {
        byte[] config = image.configJson();
        String configDigest = uploadBlob(repository, config);
        ObjectNode m = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", format.manifestType);
        m.putObject("config").put("mediaType", format.configType).put("digest", configDigest).put("size", config.length);
        ArrayNode layers = m.putArray("layers");
        for (TestImage.Layer layer : image.layers()) {
            layers.addObject().put("mediaType", format.layerType).put("digest", uploadBlob(repository, layer.gzip()))
                    .put("size", layer.gzip().length);
        }
        byte[] bytes = JSON.writeValueAsBytes(m);
        String digest = putManifest(repository, sha256(bytes), format.manifestType, bytes);
        return new Pushed(digest, format.manifestType, bytes, configDigest, List.of());
    }

    /** Uploads a blob (POST then monolithic PUT) and returns its digest. */
    public String uploadBlob(String repository, byte[] blob) throws IOException {
        String digest = sha256(blob);
        HttpResponse<String> start = send(repository, HttpRequest.newBuilder(uri().resolve("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(start, 202, "starting a blob upload");
        URI location = uri().resolve(start.headers().firstValue("Location").orElseThrow());
        String sep = location.getRawQuery() == null ? "?" : "&";
        HttpResponse<String> put = send(repository, HttpRequest.newBuilder(URI.create(location + sep + "digest=" + digest))
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(blob)));
        expect(put, 201, "finishing the upload of " + digest);
        return digest;
    }

    /** PUTs a manifest under {@code reference} (tag or digest) and returns its digest. */
    public String putManifest(String repository, String reference, String mediaType, byte[] bytes) throws IOException {
        HttpResponse<String> r = send(repository, HttpRequest.newBuilder(uri().resolve("/v2/" + repository + "/manifests/" + reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        expect(r, 201, "putting manifest " + repository + ":" + reference);
        return sha256(bytes);
    }

    private HttpResponse<String> send(String repository, HttpRequest.Builder request) throws IOException {
        if (htpasswd) {
            request.header("Authorization", basic(basicUser, basicPassword));
        } else if (tokens != null) {
            List<String[]> access = List.<String[]>of(new String[] {"repository", repository, "pull,push"});
            request.header("Authorization", "Bearer " + tokens.token(basicUser, access));
        }
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void expect(HttpResponse<String> r, int status, String what) throws IOException {
        if (r.statusCode() != status) {
            throw new IOException(what + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /** {@code sha256:HEX} of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code Basic base64(user:password)}, for tests that talk to the token server or a Basic registry directly. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (tokens != null) {
            tokens.close();
        }
        deleteTree(dir);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + root, e);
        }
    }
}
