package dev.ward.relay;

import static dev.ward.relay.MeshTesting.csr;
import static dev.ward.relay.MeshTesting.ec;
import static dev.ward.relay.MeshTesting.enroll;
import static dev.ward.relay.MeshTesting.refused;
import static dev.ward.relay.MeshTesting.sign;
import static dev.ward.relay.MeshTesting.withToken;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.relay.api.AgentRelayGrpc;
import dev.ward.relay.api.CertificateRequest;
import dev.ward.relay.api.CertificateResponse;
import dev.ward.relay.api.MeshListRequest;
import dev.ward.relay.api.RelayAdminGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay as the mesh's CA over real gRPC (loopback, SQLite): the CA is made once and kept, a certificate is earned
 * with an enrollment token and carries exactly the attested identity, and every way of asking wrongly is refused
 * with a reason.
 */
class MeshIdentityTest {
    @TempDir
    Path dir;

    private NettyRelay relay;
    private ManagedChannel channel;

    private void start(MeshSettings mesh) throws Exception {
        relay = new NettyRelay(dir.resolve("relay.db"), 0, new RelayServer.Settings(TestRelay.AGENT_TOKEN,
                TestRelay.ADMIN_TOKEN, null, 1024, Duration.ZERO, Duration.ofSeconds(2), mesh));
        channel = NettyChannelBuilder.forTarget(relay.address()).usePlaintext().build();
    }

    private void stop() {
        channel.shutdownNow();
        relay.close();
    }

    @AfterEach
    void close() {
        if (relay != null) {
            stop();
        }
    }

    private static MeshSettings maxTtl(Duration max) {
        return new MeshSettings("prod.example", null, max, null);
    }

    @Test
    void theCaIsGeneratedOnceAndKeptAcrossRestarts() throws Exception {
        start(MeshSettings.defaults());
        List<String> roots = TestRelay.as(RelayAdminGrpc.newBlockingStub(channel), TestRelay.ADMIN_TOKEN)
                .meshList(MeshListRequest.getDefaultInstance()).getTrustRootsList();
        assertThat(roots).hasSize(1);
        X509Certificate root = MeshTesting.certificates(roots).get(0);
        assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(root.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(root.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(root.getNotAfter().toInstant()).isAfter(java.time.Instant.now().plus(Duration.ofDays(3600)));
        stop();
        start(MeshSettings.defaults());
        assertThat(TestRelay.as(RelayAdminGrpc.newBlockingStub(channel), TestRelay.ADMIN_TOKEN)
                .meshList(MeshListRequest.getDefaultInstance()).getTrustRootsList()).isEqualTo(roots);
    }

    @Test
    void anEnrollmentTokenEarnsACertificateWithExactlyTheAttestedIdentity() throws Exception {
        start(maxTtl(Duration.ofHours(2)));
        String token = enroll(channel, "shop", "cart", 0, 0);
        CertificateResponse r = sign(channel, withToken(csr(ec()), "agent-1", token).toBuilder()
                .setValiditySeconds(Duration.ofHours(10).toSeconds()).build());
        assertThat(r.getSpiffeId()).isEqualTo("spiffe://prod.example/ns/shop/sa/cart");
        List<X509Certificate> chain = MeshTesting.certificates(r.getCertChainList());
        assertThat(chain).hasSize(2);
        assertThat(MeshTesting.certificates(r.getTrustRootsList())).containsExactly(chain.get(1));
        MeshTesting.validates(chain);
        X509Certificate leaf = chain.get(0);
        Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
        assertThat(sans).hasSize(1);
        assertThat((List<Object>) List.copyOf(sans.iterator().next())).containsExactly(6, "spiffe://prod.example/ns/shop/sa/cart");
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("O=prod.example");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(leaf.getKeyUsage()[5]).as("keyCertSign").isFalse();
        assertThat(leaf.getExtensionValue("2.5.29.35")).as("AKI").isNotNull();
        assertThat(leaf.getExtensionValue("2.5.29.14")).as("SKI").isNotNull();
        long lifetime = leaf.getNotAfter().getTime() - leaf.getNotBefore().getTime();
        assertThat(lifetime).as("10 h asked, 2 h max, valid from a minute ago")
                .isBetween(Duration.ofMinutes(120).toMillis(), Duration.ofMinutes(121).toMillis() + 1000);
        assertThat(r.getNotAfterUnixMillis()).isEqualTo(leaf.getNotAfter().getTime());

        CertificateResponse byDefault = sign(channel, withToken(csr(ec()), "agent-1", token));
        X509Certificate renewed = MeshTesting.certificates(byDefault.getCertChainList()).get(0);
        assertThat(renewed.getNotAfter().getTime() - renewed.getNotBefore().getTime())
                .as("the same agent renews with the token; no lifetime asked: 1 h")
                .isBetween(Duration.ofMinutes(61).toMillis() - 1000, Duration.ofMinutes(61).toMillis() + 1000);
        assertThat(relay.server.metricsRegistry().scrape().stream().filter(s -> s.getMetadata().getName()
                .equals("ward_mesh_certificates_issued")).findFirst().orElseThrow().getDataPoints()).hasSize(1);
    }

    @Test
    void aTokenServesAsManyAgentsAsItsUsesAndExpires() throws Exception {
        start(MeshSettings.defaults());
        String one = enroll(channel, "shop", "cart", 0, 1);
        sign(channel, withToken(csr(ec()), "agent-a", one));
        Status usedUp = refused(() -> sign(channel, withToken(csr(ec()), "agent-b", one)));
        assertThat(usedUp.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(usedUp.getDescription()).contains("used up").contains("1 agent has enrolled");
        sign(channel, withToken(csr(ec()), "agent-a", one)); // renewal by the agent that used it

        String two = enroll(channel, "shop", "cart", 0, 2);
        sign(channel, withToken(csr(ec()), "agent-b", two));
        sign(channel, withToken(csr(ec()), "agent-c", two));
        assertThat(refused(() -> sign(channel, withToken(csr(ec()), "agent-d", two))).getDescription())
                .contains("used up");

        String shortLived = enroll(channel, "shop", "cart", 1, 2);
        sign(channel, withToken(csr(ec()), "agent-e", shortLived));
        Thread.sleep(1200);
        Status expired = refused(() -> sign(channel, withToken(csr(ec()), "agent-f", shortLived)));
        assertThat(expired.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(expired.getDescription()).contains("expired at").contains("spiffe://cluster.local/ns/shop/sa/cart");
        assertThat(sign(channel, withToken(csr(ec()), "agent-e", shortLived)).getSpiffeId())
                .as("an agent holding a valid certificate from the token still renews after it expired")
                .endsWith("/ns/shop/sa/cart");

        Status unknown = refused(() -> sign(channel, withToken(csr(ec()), "agent-g", "wmesh_made-up")));
        assertThat(unknown.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(unknown.getDescription()).contains("not known");
        assertThat(relay.server.metricsRegistry().scrape().stream().filter(s -> s.getMetadata().getName()
                .equals("ward_mesh_certificate_refusals")).flatMap(s -> s.getDataPoints().stream())
                .map(d -> d.getLabels().get("reason")).toList())
                .containsExactlyInAnyOrder("used_up_token", "expired_token", "unknown_token");
    }

    @Test
    void theAgentTokenAloneOrAWrongOneYieldsNoIdentity() throws Exception {
        start(MeshSettings.defaults());
        CertificateRequest noProof = CertificateRequest.newBuilder().setCsr(csr(ec())).setAgentId("agent-1").build();
        Status alone = refused(() -> sign(channel, noProof));
        assertThat(alone.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(alone.getDescription()).contains("needs a proof besides the agent token");

        String token = enroll(channel, "shop", "cart", 0, 1);
        Status wrong = refused(() -> TestRelay.as(AgentRelayGrpc.newBlockingStub(channel), "not-the-agent-token")
                .signCertificate(withToken(csr(ec()), "agent-1", token)));
        assertThat(wrong.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(sign(channel, withToken(csr(ec()), "agent-1", token)).getSpiffeId())
                .as("the refused call did not use the token up").endsWith("/sa/cart");
    }

    @Test
    void aBadCsrIsAnInvalidArgumentThatSaysWhatIsWrong() throws Exception {
        start(MeshSettings.defaults());
        String token = enroll(channel, "shop", "cart", 0, 1);
        KeyPair rsa = MeshTesting.rsa();
        Status rsaKey = refused(() -> sign(channel, withToken(csrOf(rsa, rsa), "agent-1", token)));
        assertThat(rsaKey.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(rsaKey.getDescription()).contains("the key is RSA").contains("P-256");

        KeyPair key = ec();
        Status badSignature = refused(() -> sign(channel, withToken(csrOf(key, uncheckedEc()), "agent-1", token)));
        assertThat(badSignature.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(badSignature.getDescription()).contains("signature does not verify");

        Status garbage = refused(() -> sign(channel, withToken("hello", "agent-1", token)));
        assertThat(garbage.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(garbage.getDescription()).contains("PKCS#10");
        Status notPem = refused(() -> sign(channel, withToken("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
                + "-----END CERTIFICATE REQUEST-----\n", "agent-1", token)));
        assertThat(notPem.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(notPem.getDescription()).startsWith("csr: ");

        assertThat(sign(channel, withToken(csr(ec()), "agent-2", token)).getSpiffeId())
                .as("bad requests did not use the token up").endsWith("/sa/cart");
    }

    private static String csrOf(KeyPair key, KeyPair signer) {
        try {
            return csr(key, signer);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair uncheckedEc() {
        try {
            return ec();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
