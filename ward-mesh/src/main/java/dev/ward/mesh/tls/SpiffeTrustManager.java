package dev.ward.mesh.tls;

import dev.ward.mesh.SpiffeId;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust the way ztunnel does. As a server: any client whose chain leads to a trust root and whose SPIFFE ID is in
 * our trust domain ({@code TrustDomainVerifier}). As a client: a chain to a trust root with a valid SPIFFE ID; that
 * the ID is the one discovery expects is checked right after the handshake, per connection (one client context
 * serves every peer), before any stream is opened. No hostname checks anywhere.
 */
final class SpiffeTrustManager extends X509ExtendedTrustManager {

    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    private final ChainVerifier verifier;
    private final String trustDomain;

    SpiffeTrustManager(ChainVerifier verifier, String trustDomain) {
        this.verifier = verifier;
        this.trustDomain = trustDomain;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        SpiffeId id = verifier.verify(chain);
        if (!id.trustDomain().equals(trustDomain)) {
            throw new CertificateException("client " + id + " is not in trust domain " + trustDomain);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verifier.verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    /** No CA names in the CertificateRequest: a client presents its one certificate whatever its issuer. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS;
    }
}
