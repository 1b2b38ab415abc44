package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.relay.api.AgentRelayGrpc;
import dev.ward.relay.api.CertificateRequest;
import dev.ward.relay.api.CertificateResponse;
import dev.ward.relay.api.MeshEnrollRequest;
import dev.ward.relay.api.RelayAdminGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** CSRs made with BouncyCastle, and the calls an agent and an admin make for the mesh. */
final class MeshTesting {
    private MeshTesting() {
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    /** A PEM CSR for {@code pair}'s key, signed by {@code signer}, asking for names the relay must ignore. */
    static String csr(KeyPair pair, KeyPair signer) throws Exception {
        String alg = signer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        PKCS10CertificationRequest req = new JcaPKCS10CertificationRequestBuilder(
                new X500Name("CN=spiffe://evil.example/ns/admin/sa/root"), pair.getPublic())
                .build(new JcaContentSignerBuilder(alg).build(signer.getPrivate()));
        return pem(req);
    }

    static String csr(KeyPair pair) throws Exception {
        return csr(pair, pair);
    }

    static String pem(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            // A private key as PKCS#8 ("PRIVATE KEY"): BouncyCastle's SEC1 form of a JDK key lacks the curve.
            pw.writeObject(o instanceof java.security.PrivateKey k
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null) : o);
        }
        return w.toString();
    }

    static String enroll(ManagedChannel channel, String ns, String sa, long validSeconds, int uses) {
        return TestRelay.as(RelayAdminGrpc.newBlockingStub(channel), TestRelay.ADMIN_TOKEN).meshEnroll(
                MeshEnrollRequest.newBuilder().setNamespace(ns).setServiceAccount(sa).setValidSeconds(validSeconds)
                        .setUses(uses).build()).getToken();
    }

    static CertificateResponse sign(ManagedChannel channel, CertificateRequest request) {
        return TestRelay.as(AgentRelayGrpc.newBlockingStub(channel), TestRelay.AGENT_TOKEN).signCertificate(request);
    }

    static CertificateRequest withToken(String csr, String agentId, String token) {
        return CertificateRequest.newBuilder().setCsr(csr).setAgentId(agentId).setEnrollmentToken(token).build();
    }

    /** A call that may throw. */
    interface Call {
        Object run() throws Exception;
    }

    /** The status of a call that must fail. */
    static Status refused(Call call) throws Exception {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
        throw new AssertionError("the call succeeded");
    }

    static List<X509Certificate> certificates(List<String> pems) throws Exception {
        CertificateFactory f = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (String p : pems) {
            out.add((X509Certificate) f.generateCertificate(new java.io.ByteArrayInputStream(p.getBytes())));
        }
        return out;
    }

    /** Checks {@code chain} (leaf first, root last) with the JDK's PKIX validator against its last certificate. */
    static void validates(List<X509Certificate> chain) throws Exception {
        X509Certificate root = chain.get(chain.size() - 1);
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        var path = CertificateFactory.getInstance("X.509").generateCertPath(chain.subList(0, chain.size() - 1));
        CertPathValidator.getInstance("PKIX").validate(path, params);
        assertThat(chain.get(0).getBasicConstraints()).isEqualTo(-1);
    }
}
