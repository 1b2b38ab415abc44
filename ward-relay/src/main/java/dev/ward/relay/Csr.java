package dev.ward.relay;

import java.io.IOException;
import java.io.StringReader;
import java.security.PublicKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * An agent's certificate request: PEM PKCS#10 with an ECDSA P-256 key and a signature that verifies (proof that the
 * agent holds the key). Only the key is taken: every name in the request is ignored. Errors are
 * IllegalArgumentExceptions saying what was wrong.
 */
final class Csr {
    private Csr() {
    }

    /** The request's public key, once the request is checked. */
    static PublicKey publicKey(String pem) {
        Object o;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            o = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("csr: not a valid PEM certificate request (" + e.getMessage() + ")", e);
        }
        if (!(o instanceof PKCS10CertificationRequest csr)) {
            throw new IllegalArgumentException("csr: expected a PEM PKCS#10 certificate request (-----BEGIN "
                    + "CERTIFICATE REQUEST-----)" + (o == null ? "" : ", found " + o.getClass().getSimpleName()));
        }
        AlgorithmIdentifier alg = csr.getSubjectPublicKeyInfo().getAlgorithm();
        boolean ec = alg.getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey);
        if (!ec || !X9ObjectIdentifiers.prime256v1.equals(alg.getParameters())) {
            throw new IllegalArgumentException("csr: the key is " + describe(alg) + "; mesh certificates need an "
                    + "ECDSA P-256 (secp256r1) key");
        }
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))) {
                throw new IllegalArgumentException("csr: the request's signature does not verify with its own key "
                        + "(it was altered, or signed with another key)");
            }
            return new JcaPKCS10CertificationRequest(csr).getPublicKey();
        } catch (OperatorCreationException | PKCSException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("csr: cannot check the request's signature (" + e.getMessage() + ")", e);
        }
    }

    private static String describe(AlgorithmIdentifier alg) {
        ASN1ObjectIdentifier oid = alg.getAlgorithm();
        if (oid.equals(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption)) {
            return "RSA";
        }
        if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            return "EC on the curve " + alg.getParameters();
        }
        return "of the algorithm " + oid.getId();
    }
}
