package dev.ward.relay;

import dev.ward.mesh.SpiffeId;
import dev.ward.relay.store.MeshStore;
import dev.ward.relay.store.StoreException;
import dev.ward.tls.Pem;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The mesh's certificate authority: signs workload certificates (SPIFFE X.509-SVIDs) with the relay's CA key. A leaf
 * has the subject O=TRUST_DOMAIN, the SPIFFE ID as its only SAN (a URI), keyUsage digitalSignature, extended key
 * usage serverAuth and clientAuth, CA:false, authority and subject key identifiers, and is valid from a minute ago
 * (clock skew) until the requested lifetime has passed, never beyond the CA certificate's own end.
 *
 * <p>Thread-safe: everything per call but the immutable CA material.
 */
public final class MeshCa {
    private static final Duration SKEW = Duration.ofMinutes(1);

    private final String trustDomain;
    private final CaMaterial material;
    private final String signatureAlgorithm;
    private final X500Name subject;
    private final AuthorityKeyIdentifier authorityKeyId;
    private final List<String> chainPem;
    private final List<String> trustRoots;
    private final SecureRandom random = new SecureRandom();

    MeshCa(String trustDomain, CaMaterial material) {
        this.trustDomain = trustDomain;
        this.material = material;
        this.signatureAlgorithm = CaMaterial.signatureAlgorithm(material.key(), "the mesh CA key");
        this.subject = new X500Name("O=" + trustDomain);
        try {
            this.authorityKeyId = new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(material.signer());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the mesh CA certificate: " + e.getMessage(), e);
        }
        List<String> chain = new ArrayList<>();
        material.chain().forEach(c -> chain.add(CaMaterial.pem(c)));
        this.chainPem = List.copyOf(chain);
        this.trustRoots = List.of(CaMaterial.pem(material.root()));
    }

    /** The issued certificate: its chain as PEM (leaf first, root last), serial (hex) and end. */
    public record Issued(List<String> chainPem, String serial, Instant notAfter, X509CertificateHolder leaf) {
    }

    /**
     * The relay's CA: the one given ({@code external}, from --ca-cert/--ca-key), else the one in the store, made and
     * stored on first start. Relays sharing a store insert only when none is there and use the stored row, so all of
     * them end up with one CA.
     */
    static MeshCa open(String trustDomain, CaMaterial external, MeshStore store) throws StoreException {
        if (external != null) {
            return new MeshCa(trustDomain, external);
        }
        var stored = store.ca();
        if (stored.isEmpty()) {
            CaMaterial made = CaMaterial.generate(trustDomain);
            stored = java.util.Optional.of(store.caInsertIfAbsent(new MeshStore.StoredCa(made.certificatePem(),
                    made.keyPem()), System.currentTimeMillis()));
        }
        return new MeshCa(trustDomain, CaMaterial.fromPem(stored.get().certPem(), stored.get().keyPem(),
                "the mesh CA in the store"));
    }

    /** A CA of its own, generated (for benchmarks and tools; the relay's is {@link #open}'s). */
    public static MeshCa generate(String trustDomain) {
        return new MeshCa(trustDomain, CaMaterial.generate(trustDomain));
    }

    /** Checks the PEM request ({@link Csr}: IllegalArgumentException when it is bad) and signs its key for {@code id}. */
    public Issued sign(String csrPem, SpiffeId id, Duration lifetime) {
        return issue(Csr.publicKey(csrPem), id, lifetime, Instant.now());
    }

    String trustDomain() {
        return trustDomain;
    }

    /** PEM roots the agents trust: the last certificate of the CA's chain. */
    List<String> trustRoots() {
        return trustRoots;
    }

    X509Certificate root() {
        return material.root();
    }

    /** Signs a certificate for {@code id} and {@code key}, valid for {@code lifetime} from {@code now}. */
    Issued issue(PublicKey key, SpiffeId id, Duration lifetime, Instant now) {
        Instant notAfter = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plus(lifetime); // X.509 has seconds
        Instant caEnd = material.signer().getNotAfter().toInstant();
        if (notAfter.isAfter(caEnd)) {
            notAfter = caEnd;
        }
        byte[] serialBytes = new byte[16];
        random.nextBytes(serialBytes);
        serialBytes[0] &= 0x7f;
        BigInteger serial = new BigInteger(1, serialBytes).setBit(0);
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(X500Name.getInstance(
                    material.signer().getSubjectX500Principal().getEncoded()), serial, Date.from(now.minus(SKEW)),
                    Date.from(notAfter), subject, key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(
                    GeneralName.uniformResourceIdentifier, id.toString())));
            b.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId);
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key));
            X509CertificateHolder leaf = b.build(new JcaContentSignerBuilder(signatureAlgorithm).build(material.key()));
            List<String> chain = new ArrayList<>(chainPem.size() + 1);
            chain.add(Pem.certificate(leaf.getEncoded()));
            chain.addAll(chainPem);
            return new Issued(chain, serial.toString(16), notAfter, leaf);
        } catch (GeneralSecurityException | java.io.IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot sign the certificate for " + id + ": " + e.getMessage(), e);
        }
    }
}
