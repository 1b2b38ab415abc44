package dev.ward.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The webhook's TLS server context from a PEM certificate chain (the serving certificate first) and its PEM private
 * key (PKCS#8, SEC1 or PKCS#1), as Kubernetes Secrets of type {@code kubernetes.io/tls} hold them. A file that is not
 * what is expected is an {@link IllegalArgumentException} naming it.
 */
final class WebhookTls {
    private WebhookTls() {
    }

    static SSLContext context(Path certFile, Path keyFile) {
        List<Object> certs = pem(certFile);
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try {
            for (Object o : certs) {
                if (!(o instanceof X509CertificateHolder h)) {
                    throw new IllegalArgumentException(certFile + ": expected PEM certificates (BEGIN CERTIFICATE)");
                }
                chain.add(converter.getCertificate(h));
            }
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException(certFile + ": not a valid certificate (" + e.getMessage() + ")", e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(certFile + ": no certificate in it (expected -----BEGIN CERTIFICATE-----)");
        }
        List<Object> keys = pem(keyFile);
        PrivateKey key;
        try {
            Object k = keys.isEmpty() ? null : keys.getFirst();
            JcaPEMKeyConverter kc = new JcaPEMKeyConverter();
            key = k instanceof PEMKeyPair pair ? kc.getPrivateKey(pair.getPrivateKeyInfo())
                    : k instanceof PrivateKeyInfo info ? kc.getPrivateKey(info) : null;
        } catch (IOException e) {
            throw new IllegalArgumentException(keyFile + ": unsupported private key (" + e.getMessage() + ")", e);
        }
        if (key == null) {
            throw new IllegalArgumentException(keyFile + ": expected an unencrypted PEM private key (BEGIN PRIVATE "
                    + "KEY, BEGIN EC PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
        }
        try {
            matches(key, chain.getFirst());
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] none = new char[0];
            store.setKeyEntry("webhook", key, none, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, none);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(keyFile + " does not go with " + certFile + ": " + e.getMessage(), e);
        }
    }

    /** Signs a challenge with {@code key} and checks it with the certificate: they must be one pair. */
    private static void matches(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        String alg = switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new GeneralSecurityException("unsupported key algorithm " + key.getAlgorithm());
        };
        byte[] challenge = "ward webhook".getBytes(StandardCharsets.UTF_8);
        java.security.Signature sign = java.security.Signature.getInstance(alg);
        sign.initSign(key);
        sign.update(challenge);
        byte[] signature = sign.sign();
        java.security.Signature verify = java.security.Signature.getInstance(alg);
        verify.initVerify(cert.getPublicKey());
        verify.update(challenge);
        if (!verify.verify(signature)) {
            throw new GeneralSecurityException("the key is not the certificate's");
        }
    }

    private static List<Object> pem(Path file) {
        List<Object> out = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file, StandardCharsets.UTF_8)))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                out.add(o);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file", e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": not valid PEM (" + e.getMessage() + ")", e);
        }
        return out;
    }
}
