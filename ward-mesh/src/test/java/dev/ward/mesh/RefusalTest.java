package dev.ward.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.mesh.testing.TestCa;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Peers that must not get through: other CA, expired, other trust domain, not the identity discovery expects. */
class RefusalTest {

    private static final TestCa CA = TestCa.create("refusal-test");
    private static final TestCa OTHER_CA = TestCa.create("other");
    private static final TestTask.Directory DIRECTORY = new TestTask.Directory();
    private static final SpiffeId CLIENT = new SpiffeId(TestTask.TRUST_DOMAIN, "test", "client");
    private static TestTask b;
    private static LocalServer echo;

    @BeforeAll
    static void start() throws Exception {
        b = TestTask.start(CA, "127.0.0.3", "server", DIRECTORY);
        DIRECTORY.add(b);
        echo = LocalServer.echo();
    }

    @AfterAll
    static void stop() throws Exception {
        b.close();
        echo.close();
    }

    @Test
    void theControlCaseGetsThrough() throws Exception {
        assertThat(tunnel(CA.issue(CLIENT))).isTrue();
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefused() throws Exception {
        assertRefused(OTHER_CA.issue(CLIENT));
    }

    @Test
    void anExpiredClientCertificateIsRefused() throws Exception {
        Instant now = Instant.now();
        assertRefused(CA.issue(CLIENT, now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1))));
    }

    @Test
    void aClientOfAnotherTrustDomainIsRefused() throws Exception {
        assertRefused(CA.issue(new SpiffeId("other.domain", "test", "client")));
    }

    @Test
    void aClientWithoutASpiffeIdIsRefused() throws Exception {
        Instant now = Instant.now();
        assertRefused(CA.issue("https://example.com/client", now.minusSeconds(60), now.plusSeconds(3600), CLIENT));
    }

    @Test
    void aServerThatIsNotTheExpectedIdentityIsRefused() throws Exception {
        TestTask.Directory lying = new TestTask.Directory();
        SpiffeId expected = new SpiffeId(TestTask.TRUST_DOMAIN, "test", "someone-else");
        lying.peers.put(b.address, new MeshPeer(expected, b.peer().hbone(), "impostor"));
        try (TestTask a = TestTask.start(CA, "127.0.0.2", "client", lying)) {
            assertThatThrownBy(() -> Socks5.connect(a.mesh.proxyAddress(), b.at(echo.port())))
                    .hasMessage("reply 0x04");
            assertThat(a.mesh.counters().handshakeFailures()).isPositive();
            assertThat(a.awaitEvents(1).getFirst().error()).contains("expected " + expected);
        }
    }

    @Test
    void aServerFromAnotherCaIsRefused() throws Exception {
        TestTask.Directory directory = new TestTask.Directory();
        try (TestTask foreign = TestTask.start(OTHER_CA, "127.0.0.4", "server", directory);
             TestTask a = TestTask.start(CA, "127.0.0.2", "client", directory)) {
            directory.add(foreign);
            assertThatThrownBy(() -> Socks5.connect(a.mesh.proxyAddress(), foreign.at(echo.port())))
                    .hasMessage("reply 0x04");
        }
    }

    @Test
    void withoutACertificateInboundClosesAndOutboundFails() throws Exception {
        TestTask.Directory directory = new TestTask.Directory();
        try (TestTask a = TestTask.start(CA, "127.0.0.2", "client", directory)) {
            directory.add(b);
            WorkloadCertificate had = a.certificate.getAndSet(null);
            assertThatThrownBy(() -> Socks5.connect(a.mesh.proxyAddress(), b.at(echo.port())))
                    .hasMessage("reply 0x04");
            a.certificate.set(had);
            try (Socket s = Socks5.connect(a.mesh.proxyAddress(), b.at(echo.port()))) {
                assertThat(s.isConnected()).isTrue();
            }
        }
        WorkloadCertificate had = b.certificate.getAndSet(null);
        try {
            assertThat(tunnel(CA.issue(CLIENT))).isFalse();
        } finally {
            b.certificate.set(had);
        }
        assertThat(Optional.ofNullable(b.certificate.get())).isPresent();
    }

    private static void assertRefused(WorkloadCertificate client) throws Exception {
        long before = b.mesh.counters().handshakeFailures();
        assertThat(tunnel(client)).isFalse();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (b.mesh.counters().handshakeFailures() == before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(b.mesh.counters().handshakeFailures()).isGreaterThan(before);
    }

    /** Whether a raw HBONE client with {@code client} gets a 200 tunnel from B. */
    private static boolean tunnel(WorkloadCertificate client) {
        InetSocketAddress hbone = b.mesh.hboneAddress();
        try (RawHbone raw = new RawHbone(hbone, client)) {
            return raw.request(HboneServerWireTest.connect("127.0.0.3:" + echo.port()), new byte[] {1}).status()
                    == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
