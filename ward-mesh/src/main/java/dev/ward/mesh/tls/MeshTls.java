package dev.ward.mesh.tls;

import dev.ward.mesh.CertificateSource;
import dev.ward.mesh.MeshSettings.TlsEngine;
import dev.ward.mesh.WorkloadCertificate;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The mesh's TLS contexts, built from the task's current certificate: mutual TLS 1.3 only, ALPN {@code h2}, no
 * session resumption needed, no SNI and no hostname check on the client. The contexts are rebuilt when the
 * certificate source hands out a different certificate object (a renewal or a new trust bundle), so connections
 * opened afterwards use it; open connections keep theirs. Thread-safe.
 */
public final class MeshTls {

    private static final String TLS13 = "TLSv1.3";
    /**
     * The in-memory key store through which Netty hands the key to its key manager. Its default, PKCS12, encrypts
     * the key with PBKDF2 (10,000 rounds) on every build: 80 to 130 ms for the two contexts on the event loop that
     * first needs them, against about 20 ms with JKS (a store that never leaves memory, with a throwaway password).
     */
    private static final String KEY_STORE = "JKS";

    private final CertificateSource source;
    private final String trustDomain;
    private final SslProvider provider;
    private volatile Contexts contexts;

    /** The contexts of one certificate. */
    public record Contexts(WorkloadCertificate certificate, SslContext server, SslContext client) {
    }

    public MeshTls(CertificateSource source, String trustDomain, TlsEngine engine) {
        this.source = source;
        this.trustDomain = trustDomain;
        boolean boring = engine == TlsEngine.AUTO && OpenSsl.isAvailable();
        this.provider = boring ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** "BoringSSL" or "JDK". */
    public String engine() {
        return provider == SslProvider.OPENSSL ? "BoringSSL" : "JDK";
    }

    /** The contexts for the current certificate; empty while the task has none (or it cannot be used). */
    public Optional<Contexts> current() throws SSLException {
        Optional<WorkloadCertificate> cert = source.current();
        if (cert.isEmpty()) {
            return Optional.empty();
        }
        Contexts c = contexts;
        if (c != null && c.certificate() == cert.get()) {
            return Optional.of(c);
        }
        synchronized (this) {
            c = contexts;
            if (c == null || c.certificate() != cert.get()) {
                c = build(cert.get());
                contexts = c;
            }
            return Optional.of(c);
        }
    }

    private Contexts build(WorkloadCertificate cert) throws SSLException {
        var trust = new SpiffeTrustManager(new ChainVerifier(cert.trustRoots()), trustDomain);
        X509Certificate[] chain = cert.chain().toArray(X509Certificate[]::new);
        ApplicationProtocolConfig alpn = new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2);
        SslContext server = SslContextBuilder.forServer(cert.key(), chain).keyStoreType(KEY_STORE)
                .sslProvider(provider).protocols(TLS13).ciphers(Http2SecurityUtil.CIPHERS)
                .clientAuth(ClientAuth.REQUIRE).trustManager(trust).applicationProtocolConfig(alpn)
                .build();
        SslContext client = SslContextBuilder.forClient().keyManager(cert.key(), chain).keyStoreType(KEY_STORE)
                .sslProvider(provider).protocols(TLS13).ciphers(Http2SecurityUtil.CIPHERS)
                .trustManager(trust).endpointIdentificationAlgorithm(null).applicationProtocolConfig(alpn)
                .build();
        return new Contexts(cert, server, client);
    }
}
