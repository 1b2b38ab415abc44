package dev.ward.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.mesh.testing.TestCa;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Mesh.start builds the TLS contexts of the certificate the task already has, so that the first connection does
 * not build them on its event loop; a certificate source that fails then does not stop the start.
 */
class MeshStartTest {

    private static final TestCa CA = TestCa.create("start-test");

    @Test
    void theCurrentCertificateIsReadAtStart() throws Exception {
        WorkloadCertificate certificate = CA.issue(new SpiffeId("cluster.local", "ns", "start"));
        AtomicInteger asked = new AtomicInteger();
        try (Mesh mesh = start(() -> {
            asked.incrementAndGet();
            return Optional.of(certificate);
        })) {
            assertThat(asked).hasPositiveValue();
            assertThat(mesh.hboneAddress().getPort()).isPositive();
        }
    }

    @Test
    void aFailingCertificateSourceDoesNotStopTheStart() throws Exception {
        try (Mesh mesh = start(() -> {
            throw new IllegalStateException("identity client down");
        })) {
            assertThat(mesh.proxyAddress().getPort()).isPositive();
            assertThat(mesh.counters().faults()).isZero();
        }
    }

    private static Mesh start(CertificateSource certificates) throws Exception {
        MeshSettings settings = MeshSettings.of("cluster.local", List.of(InetAddress.ofLiteral("127.0.0.2")))
                .withEphemeralPorts(true).withHbone(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return Mesh.start(settings, certificates, ip -> Optional.empty(), MeshEvents.NONE, Redirects.NONE);
    }
}
