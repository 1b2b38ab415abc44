package dev.ward.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The registry client: reads image configurations and manifests from OCI / Docker v2 registries (Docker Hub,
 * ECR, GHCR, a local distribution registry...), resolving the reference, picking the platform's manifest out of
 * an index and verifying what it fetches, and pushes images ({@link #push}). Thread-safe; tokens are cached per
 * repository.
 *
 * <pre>{@code
 * RegistryClient client = RegistryClient.builder()
 *         .credential("registry.example.com", new RegistryCredential("ci", secret))
 *         .insecureRegistry("build-cache.internal:5000")
 *         .build();
 * ImageConfig cfg = client.config("nginx:1.27", Platform.LINUX_ARM64);
 * cfg.entrypoint(); // ["/docker-entrypoint.sh"]
 * }</pre>
 *
 * Credentials come from {@link Builder#credential}, then the podman/docker auth files and the credential helpers
 * they name, then (for ECR hosts, when AWS credentials are present) {@code ecr:GetAuthorizationToken}. Plain HTTP is used only
 * for registries named insecure, and for localhost/127.0.0.1/[::1] as podman and docker do.
 */
public final class RegistryClient implements ImageConfigSource {
    private final Settings settings;
    private final RegistryTransport transport;

    private RegistryClient(Settings settings) {
        this.settings = settings;
        this.transport = new RegistryTransport(settings);
    }

    /** A builder with the defaults: the user's auth files, ECR login, 30 s timeouts. */
    public static Builder builder() {
        String home = System.getProperty("user.home");
        return new Builder(new Settings(Map.of(), AuthFiles.defaultPaths(System.getenv(), home == null ? null : Path.of(home)),
                Set.of(), null, true, Duration.ofSeconds(30), 4L << 20, 16L << 20));
    }

    /** Immutable client settings. */
    record Settings(Map<String, RegistryCredential> credentials, List<Path> authFiles, Set<String> insecure,
                    SSLContext sslContext, boolean ecr, Duration timeout, long maxManifestBytes, long maxConfigBytes) {
        Settings {
            credentials = Map.copyOf(credentials);
            authFiles = List.copyOf(authFiles);
            insecure = Set.copyOf(insecure);
        }

        boolean isInsecure(String registry) {
            String host = ImageReference.parse(registry + "/x").hostName().toLowerCase(Locale.ROOT);
            return insecure.contains(registry.toLowerCase(Locale.ROOT)) || insecure.contains(host)
                    || host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
        }
    }

    /**
     * Fluent, immutable: every method returns a new builder, so a configured builder can be shared
     * and specialised.
     */
    public static final class Builder {
        private final Settings s;

        private Builder(Settings s) {
            this.s = s;
        }

        /** The settings so far, unchecked (for the package's own parts, such as {@link Credentials}). */
        Settings settings() {
            return s;
        }

        /** Credentials for {@code host} (as in image references: {@code docker.io}, {@code ghcr.io}, {@code host:port}). */
        public Builder credential(String host, RegistryCredential credential) {
            Map<String, RegistryCredential> m = new LinkedHashMap<>(s.credentials());
            m.put(AuthFiles.normalizeHost(host), credential);
            return new Builder(new Settings(m, s.authFiles(), s.insecure(), s.sslContext(), s.ecr(), s.timeout(),
                    s.maxManifestBytes(), s.maxConfigBytes()));
        }

        /** Reads credentials from these auth files (first match wins) instead of the default ones. */
        public Builder authFiles(List<Path> files) {
            return new Builder(new Settings(s.credentials(), files, s.insecure(), s.sslContext(), s.ecr(), s.timeout(),
                    s.maxManifestBytes(), s.maxConfigBytes()));
        }

        /** Allows plain HTTP for {@code host} or {@code host:port}. */
        public Builder insecureRegistry(String host) {
            Set<String> i = new LinkedHashSet<>(s.insecure());
            i.add(host.toLowerCase(Locale.ROOT));
            return new Builder(new Settings(s.credentials(), s.authFiles(), i, s.sslContext(), s.ecr(), s.timeout(),
                    s.maxManifestBytes(), s.maxConfigBytes()));
        }

        /** TLS trust for registries and token services (default: the JDK's). */
        public Builder sslContext(SSLContext context) {
            return new Builder(new Settings(s.credentials(), s.authFiles(), s.insecure(), context, s.ecr(), s.timeout(),
                    s.maxManifestBytes(), s.maxConfigBytes()));
        }

        /** Trusts the certificates in a PEM file in addition to the JDK's CAs (self-signed registries). */
        public Builder trustCertificates(Path pem) throws RegistryException {
            return sslContext(trusting(pem));
        }

        /** Whether to log in to ECR hosts with AWS credentials (default true). */
        public Builder ecr(boolean enabled) {
            return new Builder(new Settings(s.credentials(), s.authFiles(), s.insecure(), s.sslContext(), enabled,
                    s.timeout(), s.maxManifestBytes(), s.maxConfigBytes()));
        }

        /** Connect and per-request timeout. */
        public Builder timeout(Duration timeout) {
            return new Builder(new Settings(s.credentials(), s.authFiles(), s.insecure(), s.sslContext(), s.ecr(), timeout,
                    s.maxManifestBytes(), s.maxConfigBytes()));
        }

        /** Size limits for manifests/indexes and config blobs (defaults 4 MiB and 16 MiB). */
        public Builder limits(long maxManifestBytes, long maxConfigBytes) {
            return new Builder(new Settings(s.credentials(), s.authFiles(), s.insecure(), s.sslContext(), s.ecr(),
                    s.timeout(), maxManifestBytes, maxConfigBytes));
        }

        /** The client; reports every invalid setting at once. */
        public RegistryClient build() {
            List<String> problems = new ArrayList<>();
            if (s.timeout().isNegative() || s.timeout().isZero()) {
                problems.add("timeout must be positive (was " + s.timeout() + ")");
            }
            if (s.maxManifestBytes() <= 0 || s.maxConfigBytes() <= 0) {
                problems.add("size limits must be positive");
            }
            for (String host : s.insecure()) {
                try {
                    ImageReference.parse(host + "/x");
                } catch (IllegalArgumentException e) {
                    problems.add("insecure registry '" + host + "' is not a host[:port]");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("registry client: " + String.join("; ", problems));
            }
            return new RegistryClient(s);
        }
    }

    @Override
    public ImageConfig config(String image, Platform platform) throws RegistryException {
        Resolved r = resolve(image, platform);
        return Manifests.imageConfig(image, r.manifest().digest(), r.configJson(), platform, r.entry());
    }

    /** {@code image}'s manifest for {@code platform} with its configuration and layers, to build on top of it. */
    public RemoteImage image(String image, Platform platform) throws RegistryException {
        Resolved r = resolve(image, platform);
        ImageConfig config = Manifests.imageConfig(image, r.manifest().digest(), r.configJson(), platform, r.entry());
        return new RemoteImage(image, r.manifest().digest(), r.manifest().mediaType(), config.platform(), r.config(),
                r.configJson(), Manifests.layers(image, r.manifest()));
    }

    /**
     * The platforms {@code image} is for: an index's entries (attestations, listed as unknown/unknown, left out), or
     * the one a single-platform image's configuration declares (empty when it declares none).
     */
    public List<Platform> platforms(String image) throws RegistryException {
        ImageReference ref = parse(image);
        RegistrySession session = transport.session(image, ref, false);
        Manifests.Fetched top = session.manifest(ref.reference(), ref.digest());
        if (top.isIndex()) {
            return Manifests.entries(top).stream().map(Manifests.Entry::platform)
                    .filter(p -> !p.os().equals("unknown")).distinct().toList();
        }
        Descriptor cfg = Manifests.config(image, top);
        if (cfg.size() > settings.maxConfigBytes()) {
            throw new RegistryException(image + ": config blob " + cfg.digest() + " is " + cfg.size()
                    + " bytes, more than the limit of " + settings.maxConfigBytes());
        }
        Platform declared = Manifests.declared(image, top.digest(), session.blob(cfg.digest(), settings.maxConfigBytes()));
        return declared == null ? List.of() : List.of(declared);
    }

    /** Writes to {@code target}'s repository: blobs, then the manifest under its tag (see {@link RegistryPush}). */
    public RegistryPush push(String target) throws RegistryException {
        return new RegistryPush(transport, transport.session(target, parse(target), true));
    }

    static ImageReference parse(String image) throws RegistryException {
        try {
            return ImageReference.parse(image);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(e.getMessage(), e);
        }
    }

    /** A platform manifest as resolved: the manifest, the index entry it came from (or null), its config. */
    private record Resolved(Manifests.Fetched manifest, Manifests.Entry entry, Descriptor config, byte[] configJson) { }

    private Resolved resolve(String image, Platform platform) throws RegistryException {
        ImageReference ref = parse(image);
        RegistrySession session = transport.session(image, ref, false);
        Manifests.Fetched top = session.manifest(ref.reference(), ref.digest());
        Manifests.Entry entry = null;
        Manifests.Fetched manifest = top;
        if (top.isIndex()) {
            entry = Manifests.select(image, top, platform);
            manifest = session.manifest(entry.digest(), entry.digest());
            if (manifest.isIndex()) {
                throw new RegistryException(image + ": index entry " + entry.digest() + " for " + entry.platform()
                        + " is itself an index (nested indexes are not supported)");
            }
        }
        Descriptor cfg = Manifests.config(image, manifest);
        if (cfg.size() > settings.maxConfigBytes()) {
            throw new RegistryException(image + ": config blob " + cfg.digest() + " is " + cfg.size()
                    + " bytes, more than the limit of " + settings.maxConfigBytes());
        }
        return new Resolved(manifest, entry, cfg, session.blob(cfg.digest(), settings.maxConfigBytes()));
    }

    private static SSLContext trusting(Path pem) throws RegistryException {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
            try (InputStream in = Files.newInputStream(cacerts)) {
                ks.load(in, null);
            }
            Collection<? extends Certificate> certs;
            try (InputStream in = Files.newInputStream(pem)) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certs.isEmpty()) {
                throw new RegistryException("certificate file " + pem + ": no PEM certificates in it");
            }
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ward-extra-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new RegistryException("certificate file " + pem + ": " + e.getMessage(), e);
        }
    }
}
