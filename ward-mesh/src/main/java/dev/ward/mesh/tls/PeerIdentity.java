package dev.ward.mesh.tls;

import dev.ward.mesh.SpiffeId;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** The SPIFFE ID a certificate or a TLS session proves. */
public final class PeerIdentity {

    private static final int URI_SAN = 6;

    private PeerIdentity() {
    }

    /** The leaf's only URI SAN as a SpiffeId; a CertificateException when there is none, several, or a bad one. */
    public static SpiffeId of(X509Certificate leaf) throws CertificateException {
        List<String> uris = new ArrayList<>();
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(URI_SAN).equals(san.get(0))) {
                        uris.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new CertificateException("unreadable subject alternative names: " + e.getMessage(), e);
        }
        if (uris.size() != 1) {
            throw new CertificateException("certificate of " + leaf.getSubjectX500Principal() + " has "
                    + uris.size() + " URI SANs: expected exactly one spiffe:// ID");
        }
        try {
            return SpiffeId.parse(uris.getFirst());
        } catch (IllegalArgumentException e) {
            throw new CertificateException("URI SAN " + e.getMessage(), e);
        }
    }

    /** The identity of the session's peer (its chain was verified during the handshake). */
    public static SpiffeId of(SSLSession session) throws CertificateException {
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                throw new CertificateException("peer presented no X.509 certificate");
            }
            return of(leaf);
        } catch (SSLPeerUnverifiedException e) {
            throw new CertificateException("peer not verified: " + e.getMessage(), e);
        }
    }
}
