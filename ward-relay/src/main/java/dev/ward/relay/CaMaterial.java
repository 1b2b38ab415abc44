package dev.ward.relay;

import dev.ward.tls.KeyPairs;
import dev.ward.tls.Pem;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The mesh CA's key and its chain: {@code chain.get(0)} is the signing certificate, the last one the root the
 * agents trust. Generated (a self-signed ECDSA P-256 root, 10 years) or read from {@code --ca-cert/--ca-key}
 * ({@code --ca-chain}): then checked to be a CA that this key belongs to, each certificate signed by the next.
 */
record CaMaterial(PrivateKey key, List<X509Certificate> chain) {
    static final Duration ROOT_LIFETIME = Duration.ofDays(3652);

    CaMaterial {
        chain = List.copyOf(chain);
    }

    X509Certificate signer() {
        return chain.get(0);
    }

    X509Certificate root() {
        return chain.get(chain.size() - 1);
    }

    /** A new self-signed root for {@code trustDomain}. */
    static CaMaterial generate(String trustDomain) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = g.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("O=" + trustDomain + ",CN=Ward mesh root CA");
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(127, new SecureRandom())
                    .add(BigInteger.ONE), Date.from(now.minus(Duration.ofMinutes(1))),
                    Date.from(now.plus(ROOT_LIFETIME)), name, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new CaMaterial(pair.getPrivate(), List.of(cert));
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
                | org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException("cannot generate the mesh CA: " + e.getMessage(), e);
        }
    }

    /** {@code --ca-cert FILE --ca-key FILE [--ca-chain FILE]}: the files read and checked. */
    static CaMaterial fromFiles(Path cert, Path key, Path chain) {
        List<X509Certificate> certs = new ArrayList<>(Pem.certificates(Pem.read(cert), "--ca-cert " + cert));
        if (chain != null) {
            certs.addAll(Pem.certificates(Pem.read(chain), "--ca-chain " + chain));
        }
        return checked(Pem.privateKey(Pem.read(key), "--ca-key " + key), certs, "--ca-cert " + cert, "--ca-key " + key);
    }

    /** What the store holds (written by {@link #certificatePem()} and {@link #keyPem()}). */
    static CaMaterial fromPem(String certPem, String keyPem, String origin) {
        return checked(Pem.privateKey(keyPem, origin), Pem.certificates(certPem, origin), origin, origin);
    }

    /** The chain, signer first. */
    String certificatePem() {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : chain) {
            b.append(pem(c));
        }
        return b.toString();
    }

    String keyPem() {
        return Pem.privateKey(key);
    }

    static String pem(X509Certificate c) {
        try {
            return Pem.certificate(c.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "SHA256withECDSA" or "SHA256withRSA", by the key's algorithm. */
    static String signatureAlgorithm(PrivateKey key, String origin) {
        return switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException(origin + ": a " + key.getAlgorithm()
                    + " key cannot sign mesh certificates (expected an EC or RSA key)");
        };
    }

    private static CaMaterial checked(PrivateKey key, List<X509Certificate> chain, String certOrigin,
            String keyOrigin) {
        X509Certificate signer = chain.get(0);
        if (signer.getBasicConstraints() < 0) {
            throw new IllegalArgumentException(certOrigin + ": " + signer.getSubjectX500Principal().getName()
                    + " is not a CA certificate (its basicConstraints do not say CA:true)");
        }
        boolean[] usage = signer.getKeyUsage();
        if (usage != null && !usage[5]) {
            throw new IllegalArgumentException(certOrigin + ": " + signer.getSubjectX500Principal().getName()
                    + " may not sign certificates (its keyUsage lacks keyCertSign)");
        }
        signatureAlgorithm(key, keyOrigin);
        if (!KeyPairs.matches(key, signer)) {
            throw new IllegalArgumentException(keyOrigin + ": the private key does not belong to the certificate "
                    + signer.getSubjectX500Principal().getName() + " (" + certOrigin + ")");
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            try {
                chain.get(i).verify(chain.get(i + 1).getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException(certOrigin + ": certificate " + (i + 2) + " of the chain ("
                        + chain.get(i + 1).getSubjectX500Principal().getName() + ") did not sign certificate "
                        + (i + 1) + " (" + chain.get(i).getSubjectX500Principal().getName() + "): give the chain "
                        + "from the CA certificate up to the root, in that order");
            }
        }
        return new CaMaterial(key, chain);
    }
}
