package dev.ward.mesh;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What a task proves itself with: its own key (generated in the agent, never sent anywhere), its certificate
 * chain (leaf first), and the roots it trusts for peers (several during a CA rotation).
 */
public record WorkloadCertificate(SpiffeId id, PrivateKey key, List<X509Certificate> chain,
                                  List<X509Certificate> trustRoots) {

    public WorkloadCertificate {
        chain = List.copyOf(chain);
        trustRoots = List.copyOf(trustRoots);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
        if (trustRoots.isEmpty()) {
            throw new IllegalArgumentException("no trust roots");
        }
    }

    public X509Certificate leaf() {
        return chain.getFirst();
    }

    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }
}
