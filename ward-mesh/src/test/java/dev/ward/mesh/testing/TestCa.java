package dev.ward.mesh.testing;

import dev.ward.mesh.SpiffeId;
import dev.ward.mesh.WorkloadCertificate;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority for tests: a root, an intermediate under it, and P-256 leaf certificates with one SPIFFE URI
 * SAN, issued the way the relay's CA issues them (KU digitalSignature, EKU server and client auth, CA:false).
 * <pre>{@code
 * TestCa ca = TestCa.create("test");
 * WorkloadCertificate a = ca.issue(SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/cart"));
 * }</pre>
 * Published in ward-mesh's test-jar for the agent's and the relay's tests.
 */
public final class TestCa {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final KeyPair rootKey;
    private final X509Certificate root;
    private final KeyPair intermediateKey;
    private final X509Certificate intermediate;

    private TestCa(KeyPair rootKey, X509Certificate root, KeyPair intermediateKey, X509Certificate intermediate) {
        this.rootKey = rootKey;
        this.root = root;
        this.intermediateKey = intermediateKey;
        this.intermediate = intermediate;
    }

    /** A new root ("CN=NAME root") and intermediate ("CN=NAME intermediate"), valid from an hour ago for a day. */
    public static TestCa create(String name) {
        Instant now = Instant.now();
        KeyPair rootKey = keyPair();
        X500Principal rootName = new X500Principal("CN=" + name + " root");
        X509Certificate root = sign(rootName, rootKey, rootName, rootKey.getPublic(), null, true,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), null);
        KeyPair intermediateKey = keyPair();
        X509Certificate intermediate = sign(rootName, rootKey, new X500Principal("CN=" + name + " intermediate"),
                intermediateKey.getPublic(), root, true, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)),
                null);
        return new TestCa(rootKey, root, intermediateKey, intermediate);
    }

    /** A fresh P-256 key pair. */
    public static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A workload certificate for {@code id}, valid from a minute ago for an hour; chain leaf, intermediate. */
    public WorkloadCertificate issue(SpiffeId id) {
        Instant now = Instant.now();
        return issue(id, now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(1)));
    }

    /** A workload certificate for {@code id} with the given validity (in the past for an expired one). */
    public WorkloadCertificate issue(SpiffeId id, Instant notBefore, Instant notAfter) {
        return issue(id.toString(), notBefore, notAfter, id);
    }

    /** A leaf whose URI SAN is {@code uriSan} (any text, for malformed-identity tests), presented as {@code id}. */
    public WorkloadCertificate issue(String uriSan, Instant notBefore, Instant notAfter, SpiffeId id) {
        KeyPair key = keyPair();
        X509Certificate leaf = sign(intermediate.getSubjectX500Principal(), intermediateKey,
                new X500Principal("O=ward-test"), key.getPublic(), intermediate, false, notBefore, notAfter, uriSan);
        return new WorkloadCertificate(id, key.getPrivate(), List.of(leaf, intermediate), List.of(root));
    }

    public X509Certificate root() {
        return root;
    }

    public X509Certificate intermediate() {
        return intermediate;
    }

    public KeyPair rootKey() {
        return rootKey;
    }

    private static X509Certificate sign(X500Principal issuer, KeyPair issuerKey, X500Principal subject,
                                        PublicKey subjectKey, X509Certificate issuerCert, boolean ca,
                                        Instant notBefore, Instant notAfter, String uriSan) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), subject,
                    subjectKey);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
            b.addExtension(Extension.authorityKeyIdentifier, false, issuerCert == null
                    ? ext.createAuthorityKeyIdentifier(subjectKey) : ext.createAuthorityKeyIdentifier(issuerCert));
            if (ca) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                b.addExtension(Extension.subjectAlternativeName, true,
                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uriSan)));
            }
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("test CA: cannot sign " + subject + ": " + e.getMessage(), e);
        }
    }
}
