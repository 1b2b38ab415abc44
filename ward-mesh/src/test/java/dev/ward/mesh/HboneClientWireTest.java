package dev.ward.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.mesh.testing.TestCa;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the mesh's HBONE client puts on the wire, seen by a stand-in server: TLS 1.3 with ALPN h2 and no SNI;
 * ztunnel's CONNECT (no :path or :scheme, {@code :authority} the original ip:port, {@code forwarded: for=});
 * 4 MiB stream windows, 1 MiB frames and a 16 MiB connection window.
 */
class HboneClientWireTest {

    private static final TestCa CA = TestCa.create("client-wire");
    private static final SpiffeId PEER = new SpiffeId(TestTask.TRUST_DOMAIN, "test", "fake");

    @Test
    void theClientSpeaksZtunnelsHbone() throws Exception {
        TestTask.Directory directory = new TestTask.Directory();
        try (FakeHboneServer fake = new FakeHboneServer(CA.issue(PEER), 200);
             TestTask a = TestTask.start(CA, "127.0.0.2", "client", directory)) {
            InetAddress meshed = InetAddress.ofLiteral("127.0.0.9");
            directory.peers.put(meshed, new MeshPeer(PEER, fake.address(), "fake"));
            try (Socket s = Socks5.connect(a.mesh.proxyAddress(), new InetSocketAddress(meshed, 8080))) {
                s.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(s.getInputStream().readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("ping");
                assertThat(fake.serverNames).as("no SNI in the ClientHello").isEmpty();
                assertThat(fake.protocol.get(5, TimeUnit.SECONDS)).isEqualTo("TLSv1.3");
                assertThat(fake.alpn.get(5, TimeUnit.SECONDS)).isEqualTo("h2");
                Http2Headers h = fake.request.get(5, TimeUnit.SECONDS);
                assertThat(h.method().toString()).isEqualTo("CONNECT");
                assertThat(h.authority().toString()).isEqualTo("127.0.0.9:8080");
                assertThat(h.path()).isNull();
                assertThat(h.scheme()).isNull();
                assertThat(h.get("forwarded").toString()).isEqualTo("for=\"127.0.0.1:" + s.getLocalPort() + "\"");
                Http2Settings settings = fake.settings.get(5, TimeUnit.SECONDS);
                assertThat(settings.initialWindowSize()).isEqualTo(4 << 20);
                assertThat(settings.maxFrameSize()).isEqualTo(1 << 20);
                assertThat(fake.connectionWindow.get(5, TimeUnit.SECONDS)).isEqualTo(16 << 20);
            }
        }
    }

    @Test
    void aNon200AnswerFailsTheClientConnection() throws Exception {
        TestTask.Directory directory = new TestTask.Directory();
        try (FakeHboneServer fake = new FakeHboneServer(CA.issue(PEER), 401);
             TestTask a = TestTask.start(CA, "127.0.0.2", "client", directory)) {
            InetAddress meshed = InetAddress.ofLiteral("127.0.0.9");
            directory.peers.put(meshed, new MeshPeer(PEER, fake.address(), "fake"));
            assertThatThrownBy(() -> Socks5.connect(a.mesh.proxyAddress(), new InetSocketAddress(meshed, 8080)))
                    .hasMessage("reply 0x02");
            assertThat(a.awaitEvents(1).getFirst().hboneStatus()).isEqualTo(401);
        }
    }
}
