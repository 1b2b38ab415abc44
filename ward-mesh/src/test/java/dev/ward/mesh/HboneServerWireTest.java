package dev.ward.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.mesh.testing.TestCa;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Task B's port 15008 against a raw HTTP/2 client (TLS 1.3, ALPN h2, no SNI): the status codes ztunnel answers
 * (src/proxy/inbound.rs) and bytes both ways once the tunnel is open.
 */
class HboneServerWireTest {

    private static final TestCa CA = TestCa.create("wire-test");
    private static final TestTask.Directory DIRECTORY = new TestTask.Directory();
    private static final SpiffeId CLIENT = new SpiffeId(TestTask.TRUST_DOMAIN, "test", "raw-client");
    private static TestTask b;
    private static LocalServer echo;

    @BeforeAll
    static void start() throws Exception {
        b = TestTask.start(CA, "127.0.0.3", "server", DIRECTORY);
        echo = LocalServer.echo();
    }

    @AfterAll
    static void stop() throws Exception {
        b.close();
        echo.close();
    }

    @Test
    void connectToALocalPortIs200AndBytesFlowBothWays() throws Exception {
        try (RawHbone client = new RawHbone(b.mesh.hboneAddress(), CA.issue(CLIENT))) {
            Http2Headers h = connect("127.0.0.3:" + echo.port()).add("forwarded", "for=\"10.1.2.3:4567\"");
            RawHbone.Response r = client.request(h, "ping".getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).isEqualTo(200);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("ping");
        }
        MeshConnection in = b.awaitEvent(e -> e.source().getPort() == 4567);
        assertThat(in.hboneStatus()).isEqualTo(200);
        assertThat(in.sourceId()).isEqualTo(CLIENT);
        assertThat(in.source()).isEqualTo(new InetSocketAddress("10.1.2.3", 4567));
        assertThat(in.destination()).isEqualTo(new InetSocketAddress("127.0.0.3", echo.port()));
        assertThat(in.bytesReceived()).isEqualTo(4);
        assertThat(in.bytesSent()).isEqualTo(4);
    }

    /**
     * The application, on accepting, can already learn the real client from the table (the delivery is recorded
     * before it connects): the mutual-TLS connection's remote address, not the {@code forwarded} header's; the entry
     * goes when the delivery connection closes.
     */
    @Test
    void eachDeliveryIsRecordedWithTheTlsPeerUntilItCloses() throws Exception {
        try (LocalServer who = LocalServer.tcp(s -> s.getOutputStream().write(b.delivered
                     .clientOf((InetSocketAddress) s.getRemoteSocketAddress()).map(String::valueOf).orElse("unknown")
                     .getBytes(StandardCharsets.UTF_8)));
             RawHbone client = new RawHbone(b.mesh.hboneAddress(), CA.issue(CLIENT))) {
            Http2Headers h = connect("127.0.0.3:" + who.port()).add("forwarded", "for=\"10.1.2.3:4999\"");
            RawHbone.Response r = client.request(h, "ping".getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).isEqualTo(200);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(client.localAddress().toString());
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (b.delivered.size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(b.delivered.size()).isZero();
    }

    @Test
    void anotherMethodIs400() throws Exception {
        try (RawHbone client = new RawHbone(b.mesh.hboneAddress(), CA.issue(CLIENT))) {
            Http2Headers get = new DefaultHttp2Headers().method("GET").scheme("https").path("/")
                    .authority("127.0.0.3:" + echo.port());
            assertThat(client.request(get, null).status()).isEqualTo(400);
        }
    }

    @Test
    void aBadAuthorityIs400() throws Exception {
        try (RawHbone client = new RawHbone(b.mesh.hboneAddress(), CA.issue(CLIENT))) {
            assertThat(client.request(connect("no-port"), null).status()).isEqualTo(400);
            assertThat(client.request(connect("svc.example:80"), null).status()).as("a name").isEqualTo(400);
            assertThat(client.request(connect("127.0.0.3:99999"), null).status()).isEqualTo(400);
            assertThat(client.isActive()).as("a refused stream leaves the connection open").isTrue();
        }
    }

    @Test
    void anAddressThatIsNotThisTasksIs400() throws Exception {
        try (RawHbone client = new RawHbone(b.mesh.hboneAddress(), CA.issue(CLIENT))) {
            assertThat(client.request(connect("127.0.0.2:" + echo.port()), null).status()).isEqualTo(400);
        }
    }

    @Test
    void aClosedLocalPortIs503() throws Exception {
        try (RawHbone client = new RawHbone(b.mesh.hboneAddress(), CA.issue(CLIENT))) {
            assertThat(client.request(connect("127.0.0.3:" + ProxyTest.closedPort()), null).status())
                    .isEqualTo(503);
        }
        assertThat(b.mesh.counters().inboundRefused()).isPositive();
    }

    @Test
    void aDeniedPeerIs401() throws Exception {
        try (TestTask guarded = TestTask.start(CA, "127.0.0.5", "guarded", DIRECTORY, s -> s, Redirects.NONE,
                request -> !request.peer().equals(CLIENT));
             RawHbone client = new RawHbone(guarded.mesh.hboneAddress(), CA.issue(CLIENT))) {
            assertThat(client.request(connect("127.0.0.5:" + echo.port()), null).status()).isEqualTo(401);
            assertThat(guarded.awaitEvents(1).getFirst().hboneStatus()).isEqualTo(401);
        }
    }

    static Http2Headers connect(String authority) {
        return new DefaultHttp2Headers().method("CONNECT").authority(authority);
    }
}
