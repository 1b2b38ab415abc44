package dev.ward.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM in and out: certificates and private keys (PKCS#8, SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY"), as
 * operators hand them to the relay ({@code --ca-cert}, {@code --tls-cert}) and as Kubernetes Secrets of type
 * {@code kubernetes.io/tls} hold them. Errors are IllegalArgumentExceptions that name {@code origin} (a file, an
 * option, or "the store").
 */
public final class Pem {
    private Pem() {
    }

    /** Every certificate in {@code text}, in order; at least one. */
    public static List<X509Certificate> certificates(String text, String origin) {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (!(o instanceof X509CertificateHolder h)) {
                    throw new IllegalArgumentException(origin + ": expected PEM certificates (BEGIN CERTIFICATE), "
                            + "found " + kind(o) + " as PEM object " + (out.size() + 1));
                }
                out.add(converter.getCertificate(h));
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith(origin)) {
                throw iae;
            }
            throw new IllegalArgumentException(origin + ": not valid PEM certificates (" + e.getMessage() + ")", e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(origin + ": no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    /** The one private key in {@code text}. */
    public static PrivateKey privateKey(String text, String origin) {
        Object o;
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            o = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(origin + ": not a valid PEM private key (" + e.getMessage() + ")", e);
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new IllegalArgumentException(origin + ": the private key is encrypted; give it unencrypted "
                    + "(openssl pkey -in KEY -out KEY.plain) and protect the file instead");
        }
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(origin + ": unsupported private key (" + e.getMessage() + ")", e);
        }
        throw new IllegalArgumentException(origin + ": expected a PEM private key (BEGIN PRIVATE KEY, BEGIN EC "
                + "PRIVATE KEY or BEGIN RSA PRIVATE KEY), found " + kind(o));
    }

    public static String certificate(byte[] der) {
        return encode("CERTIFICATE", der);
    }

    public static String privateKey(PrivateKey key) {
        return encode("PRIVATE KEY", key.getEncoded());
    }

    /** The text of PEM file {@code file}; a missing, unreadable or binary file is an error naming it. */
    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not a PEM text file (binary DER? convert it with openssl)", e);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }

    private static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String kind(Object o) {
        if (o == null) {
            return "nothing PEM";
        }
        return switch (o) {
            case X509CertificateHolder h -> "a certificate";
            case PEMKeyPair p -> "a private key";
            case PrivateKeyInfo p -> "a private key";
            case org.bouncycastle.pkcs.PKCS10CertificationRequest r -> "a certificate request";
            case org.bouncycastle.asn1.x509.SubjectPublicKeyInfo k -> "a public key";
            default -> o.getClass().getSimpleName();
        };
    }
}
