package dev.ward.relay.client;

import dev.ward.mesh.SpiffeId;
import dev.ward.mesh.WorkloadCertificate;
import dev.ward.relay.api.CertificateResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** The agent's half of issuance: a P-256 key, its PKCS#10 request, and the checks on what the relay sent back. */
final class Pkcs10 {
    private static final int URI_SAN = 6;

    private Pkcs10() {
    }

    static KeyPair newKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime cannot make P-256 keys", e);
        }
    }

    /** PEM PKCS#10 signed with {@code key}; {@code requested} (may be null) as a URI SAN the relay may honour. */
    static String csr(KeyPair key, SpiffeId requested) {
        try {
            JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(
                    new X500Principal(""), key.getPublic());
            if (requested != null) {
                ExtensionsGenerator ext = new ExtensionsGenerator();
                ext.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, requested.toString())));
                b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
            }
            PKCS10CertificationRequest csr = b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                    .build(key.getPrivate()));
            StringWriter out = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(csr);
            }
            return out.toString();
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build the certificate request", e);
        }
    }

    /**
     * The relay's answer as a {@link WorkloadCertificate}, after checking that the leaf carries our key and exactly
     * the SPIFFE ID the relay says it issued; IllegalArgumentException otherwise.
     */
    static WorkloadCertificate certificate(CertificateResponse r, KeyPair key) {
        List<X509Certificate> chain = parse(r.getCertChainList());
        List<X509Certificate> roots = parse(r.getTrustRootsList());
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the relay sent no certificate");
        }
        if (roots.isEmpty()) {
            roots = List.of(chain.getLast());
        }
        X509Certificate leaf = chain.getFirst();
        if (!leaf.getPublicKey().equals(key.getPublic())) {
            throw new IllegalArgumentException("the relay's certificate is not for this agent's key");
        }
        SpiffeId id = SpiffeId.parse(r.getSpiffeId());
        List<String> uris = uris(leaf);
        if (!uris.equals(List.of(id.toString()))) {
            throw new IllegalArgumentException("the relay's certificate names " + uris + ", not " + id);
        }
        return new WorkloadCertificate(id, key.getPrivate(), chain, roots);
    }

    static List<X509Certificate> parse(List<String> pems) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            for (String pem : pems) {
                for (var c : f.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                    out.add((X509Certificate) c);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the relay sent a certificate that does not parse: " + e.getMessage());
        }
        return out;
    }

    private static List<String> uris(X509Certificate leaf) {
        List<String> out = new ArrayList<>();
        try {
            var names = leaf.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) {
                    if (n.size() >= 2 && Integer.valueOf(URI_SAN).equals(n.get(0))) {
                        out.add(String.valueOf(n.get(1)));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            throw new IllegalArgumentException("the relay's certificate has unreadable names: " + e.getMessage());
        }
        return out;
    }
}
