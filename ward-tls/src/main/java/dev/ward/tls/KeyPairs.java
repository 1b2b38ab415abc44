package dev.ward.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;

/** Whether a private key is the one a certificate was issued for: it signs a probe that the certificate verifies. */
public final class KeyPairs {
    private static final byte[] PROBE = "ward key pair check".getBytes(StandardCharsets.US_ASCII);

    private KeyPairs() {
    }

    /** True when {@code key} belongs to {@code cert}; false for another key or a kind this check cannot sign with. */
    public static boolean matches(PrivateKey key, X509Certificate cert) {
        String alg = switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (alg == null) {
            return false;
        }
        try {
            Signature sign = Signature.getInstance(alg);
            sign.initSign(key);
            sign.update(PROBE);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(alg);
            verify.initVerify(cert.getPublicKey());
            verify.update(PROBE);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
