package dev.ward.relay.client;

import dev.ward.mesh.SpiffeId;
import dev.ward.mesh.WorkloadCertificate;
import dev.ward.relay.api.CertificateResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

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

    /**
     * PEM PKCS#10 (RFC 2986) for {@code key}, signed with it: an empty subject and no attributes, since the relay
     * writes the identity itself and reads nothing but the key from the request.
     *
     * <p>Written here with the JDK's own encodings rather than with BouncyCastle: the JDK hands out the
     * SubjectPublicKeyInfo (X.509) and the ECDSA signature (DER) ready made, so the request is four DER headers around
     * them, while BouncyCastle's signed jars cost the agent about 9 MB on disk, 20 MB of start-up garbage (the JDK
     * verifies their 1.7 MB of signature manifests) and a second of start. The relay parses and verifies every
     * request with BouncyCastle, which MeshIdentityClientTest exercises.
     */
    static String csr(KeyPair key) {
        try {
            byte[] info = Der.sequence(Der.INTEGER_ZERO, Der.sequence(), key.getPublic().getEncoded(),
                    Der.EMPTY_ATTRIBUTES);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key.getPrivate());
            signer.update(info);
            byte[] request = Der.sequence(info, Der.sequence(Der.ECDSA_WITH_SHA256), Der.bitString(signer.sign()));
            return "-----BEGIN CERTIFICATE REQUEST-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(request)
                    + "\n-----END CERTIFICATE REQUEST-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the certificate request", e);
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
