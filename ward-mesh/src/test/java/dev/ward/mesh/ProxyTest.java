package dev.ward.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ward.mesh.MeshConnection.Direction;
import dev.ward.mesh.MeshConnection.Via;
import dev.ward.mesh.testing.TestCa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The explicit proxy port of task A reaching task B's application through HBONE, and plain destinations. */
class ProxyTest {

    private static final TestCa CA = TestCa.create("proxy-test");
    private static final TestTask.Directory DIRECTORY = new TestTask.Directory();
    private static TestTask a;
    private static TestTask b;
    private static LocalServer app;
    private static String url;

    @BeforeAll
    static void start() throws IOException {
        a = TestTask.start(CA, "127.0.0.2", "client", DIRECTORY);
        b = TestTask.start(CA, "127.0.0.3", "server", DIRECTORY);
        DIRECTORY.add(a);
        DIRECTORY.add(b);
        app = LocalServer.http("B");
        url = "http://127.0.0.3:" + app.port() + "/hi";
    }

    @AfterAll
    static void stop() throws IOException {
        a.close();
        b.close();
        app.close();
    }

    @BeforeEach
    void clearEvents() {
        a.events.clear();
        b.events.clear();
    }

    @Test
    void socks5ReachesTheApplicationBehindThePeersHbonePort() throws Exception {
        String response;
        int client;
        try (Socket s = Socks5.connect(a.mesh.proxyAddress(), b.at(app.port()))) {
            client = s.getLocalPort();
            response = Http.get(s, "svc", "/hi");
        }
        assertThat(response).startsWith("HTTP/1.1 200").contains("hello from B path=/hi host=svc");
        MeshConnection out = a.awaitEvent(e -> e.source().getPort() == client);
        assertThat(out.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(out.via()).isEqualTo(Via.SOCKS5);
        assertThat(out.mtls()).isTrue();
        assertThat(out.hboneStatus()).isEqualTo(200);
        assertThat(out.destination()).isEqualTo(b.at(app.port()));
        assertThat(out.sourceId()).isEqualTo(a.id);
        assertThat(out.destinationId()).isEqualTo(b.id);
        assertThat(out.bytesReceived()).isEqualTo(response.length());
        assertThat(out.error()).isNull();
        MeshConnection in = b.awaitEvent(e -> e.source().getPort() == client);
        assertThat(in.direction()).isEqualTo(Direction.INBOUND);
        assertThat(in.sourceId()).isEqualTo(a.id);
        assertThat(in.destinationId()).isEqualTo(b.id);
        assertThat(in.source().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(in.bytesSent()).isEqualTo(response.length());
        assertThat(a.mesh.counters().outboundMeshed()).isPositive();
    }

    @Test
    void socks5ResolvesDomainNames() throws Exception {
        try (Socket s = Socks5.connect(a.mesh.proxyAddress(), "127.0.0.3", app.port())) {
            assertThat(Http.get(s, "svc", "/")).contains("hello from B");
        }
        assertThatThrownBy(() -> Socks5.connect(a.mesh.proxyAddress(), "no-such-host.invalid", 80))
                .hasMessage("reply 0x04");
    }

    @Test
    void socks5RepliesWithRfc1928Codes() throws Exception {
        InetSocketAddress proxy = a.mesh.proxyAddress();
        byte[] ip = {127, 0, 0, 3};
        try (Socket s = new Socket()) {
            s.connect(proxy);
            assertThat(Socks5.request(s, 2, Socks5.IPV4, ip, app.port())).as("BIND").isEqualTo(0x07);
        }
        try (Socket s = new Socket()) {
            s.connect(proxy);
            assertThat(Socks5.request(s, 1, 9, ip, app.port())).as("ATYP 9").isEqualTo(0x08);
        }
        int closed = closedPort();
        assertThatThrownBy(() -> Socks5.connect(proxy, b.at(closed))).as("meshed, 503").hasMessage("reply 0x05");
        assertThatThrownBy(() -> Socks5.connect(proxy, new InetSocketAddress("127.0.0.1", closed)))
                .as("passthrough, refused").hasMessage("reply 0x05");
        a.awaitEvent(e -> e.hboneStatus() == 503);
    }

    @Test
    void passthroughReachesANonMeshedDestinationInPlainTcp() throws Exception {
        int client;
        try (Socket s = Socks5.connect(a.mesh.proxyAddress(), new InetSocketAddress("127.0.0.1", app.port()))) {
            client = s.getLocalPort();
            assertThat(Http.get(s, "plain", "/p")).contains("hello from B path=/p");
        }
        MeshConnection out = a.awaitEvent(e -> e.source().getPort() == client);
        assertThat(out.mtls()).isFalse();
        assertThat(out.destinationId()).isNull();
        assertThat(out.hboneStatus()).isZero();
        assertThat(b.events).noneMatch(e -> e.source().getPort() == client);
    }

    @Test
    void socks5TakesIpv6Destinations() throws Exception {
        InetAddress v6 = InetAddress.ofLiteral("::1");
        try (var server = new java.net.ServerSocket(0, 1, v6)) {
            Thread.ofVirtual().start(() -> {
                try (Socket accepted = server.accept()) {
                    accepted.getOutputStream().write("v6".getBytes());
                } catch (IOException ignored) {
                    // the assertion below reports it
                }
            });
            try (Socket s = Socks5.connect(a.mesh.proxyAddress(), new InetSocketAddress(v6, server.getLocalPort()))) {
                assertThat(new String(s.getInputStream().readAllBytes())).isEqualTo("v6");
            }
        }
    }

    @Test
    void passthroughCanBeForbidden() throws Exception {
        try (TestTask strict = TestTask.start(CA, "127.0.0.4", "strict", DIRECTORY,
                s -> s.withPassthroughAllowed(false), Redirects.NONE, InboundAuthorizer.ALLOW_ALL)) {
            assertThatThrownBy(() -> Socks5.connect(strict.mesh.proxyAddress(),
                    new InetSocketAddress("127.0.0.1", app.port()))).hasMessage("reply 0x02");
            try (Socket s = Socks5.connect(strict.mesh.proxyAddress(), b.at(app.port()))) {
                assertThat(Http.get(s, "svc", "/")).contains("hello from B");
            }
        }
    }

    @Test
    void curlThroughSocks5h() throws Exception {
        assumeTrue(Http.curlExists(), "curl is not installed");
        Http.Result r = Http.curl("--proxy", "socks5h://127.0.0.1:" + a.mesh.proxyAddress().getPort(), url);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("hello from B path=/hi");
    }

    @Test
    void curlThroughTheHttpProxy() throws Exception {
        assumeTrue(Http.curlExists(), "curl is not installed");
        Http.Result r = Http.curl("-x", "http://127.0.0.1:" + a.mesh.proxyAddress().getPort(), url + "?q=1");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("hello from B path=/hi?q=1 host=127.0.0.3:" + app.port());
        assertThat(a.awaitEvent(e -> e.via() == Via.HTTP).hboneStatus()).isEqualTo(200);
    }

    @Test
    void curlThroughHttpConnect() throws Exception {
        assumeTrue(Http.curlExists(), "curl is not installed");
        Http.Result r = Http.curl("-p", "-x", "http://127.0.0.1:" + a.mesh.proxyAddress().getPort(), url);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("hello from B path=/hi");
        assertThat(a.awaitEvent(e -> e.via() == Via.HTTP_CONNECT && e.mtls()).hboneStatus()).isEqualTo(200);
    }

    @Test
    void httpProxyAnswersErrorsInHttp() throws Exception {
        assumeTrue(Http.curlExists(), "curl is not installed");
        int closed = closedPort();
        Http.Result r = Http.curl("-i", "-p", "-x", "http://127.0.0.1:" + a.mesh.proxyAddress().getPort(),
                "http://127.0.0.1:" + closed + "/");
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("502");
    }

    static int closedPort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
