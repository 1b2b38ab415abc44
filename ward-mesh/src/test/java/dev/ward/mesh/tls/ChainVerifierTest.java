package dev.ward.mesh.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.mesh.SpiffeId;
import dev.ward.mesh.WorkloadCertificate;
import dev.ward.mesh.testing.TestCa;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {

    private static final TestCa CA = TestCa.create("verifier");
    private static final SpiffeId ID = SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/cart");

    @Test
    void aChainToTheRootYieldsTheLeafsSpiffeId() throws Exception {
        assertThat(new ChainVerifier(List.of(CA.root())).verify(chain(CA.issue(ID)))).isEqualTo(ID);
    }

    @Test
    void aChainThatEndsWithTheRootItselfIsAccepted() throws Exception {
        WorkloadCertificate c = CA.issue(ID);
        X509Certificate[] withRoot = {c.chain().get(0), c.chain().get(1), CA.root()};
        assertThat(new ChainVerifier(List.of(CA.root())).verify(withRoot)).isEqualTo(ID);
    }

    @Test
    void aVerifiedLeafIsRememberedByItsFingerprint() throws Exception {
        ChainVerifier verifier = new ChainVerifier(List.of(CA.root()));
        WorkloadCertificate c = CA.issue(ID);
        X509Certificate[] leafOnly = {c.leaf()};
        assertThatThrownBy(() -> new ChainVerifier(List.of(CA.root())).verify(leafOnly))
                .as("without its intermediate the leaf does not verify").isInstanceOf(CertificateException.class);
        verifier.verify(chain(c));
        assertThat(verifier.verify(leafOnly)).as("from the cache").isEqualTo(ID);
    }

    @Test
    void anotherCaIsRefused() {
        TestCa other = TestCa.create("other");
        assertThatThrownBy(() -> new ChainVerifier(List.of(CA.root())).verify(chain(other.issue(ID))))
                .isInstanceOf(CertificateException.class).hasMessageContaining("not trusted");
    }

    @Test
    void anExpiredLeafIsRefused() {
        Instant now = Instant.now();
        WorkloadCertificate expired = CA.issue(ID, now.minus(Duration.ofHours(2)), now.minusSeconds(1));
        assertThatThrownBy(() -> new ChainVerifier(List.of(CA.root())).verify(chain(expired)))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void aLeafWithoutExactlyOneSpiffeUriIsRefused() {
        Instant now = Instant.now();
        WorkloadCertificate web = CA.issue("https://example.com/", now.minusSeconds(60), now.plusSeconds(60), ID);
        assertThatThrownBy(() -> new ChainVerifier(List.of(CA.root())).verify(chain(web)))
                .isInstanceOf(CertificateException.class).hasMessageContaining("URI SAN");
    }

    private static X509Certificate[] chain(WorkloadCertificate c) {
        return c.chain().toArray(X509Certificate[]::new);
    }
}
