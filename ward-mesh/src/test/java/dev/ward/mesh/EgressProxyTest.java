package dev.ward.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ward.mesh.MeshConnection.Via;
import dev.ward.mesh.testing.TestCa;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Egress decisions on the proxy port, with real sockets: the name the client asked for and the process that asked
 * (found in /proc) reach the authorizer; a denial is SOCKS5 reply 0x02 or HTTP 403, and nothing is dialled.
 */
class EgressProxyTest {

    private static final TestCa CA = TestCa.create("egress-test");
    private static final List<EgressAuthorizer.Request> ASKED = new CopyOnWriteArrayList<>();
    private static final List<MeshConnection> EVENTS = new CopyOnWriteArrayList<>();
    private static LocalServer allowed;
    private static LocalServer denied;
    private static Mesh mesh;

    @BeforeAll
    static void start() throws IOException {
        allowed = LocalServer.http("allowed");
        denied = LocalServer.http("denied");
        int port = allowed.port();
        EgressAuthorizer onlyLocalhost = r -> {
            ASKED.add(r);
            return "localhost".equals(r.host()) && r.destination().getPort() == port;
        };
        SpiffeId id = new SpiffeId(TestTask.TRUST_DOMAIN, "test", "egress");
        WorkloadCertificate cert = CA.issue(id);
        MeshSettings settings = MeshSettings.of(TestTask.TRUST_DOMAIN, List.of(InetAddress.ofLiteral("127.0.0.4")))
                .withEphemeralPorts(true).withHbone(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        mesh = Mesh.start(settings, () -> Optional.of(cert), ip -> Optional.empty(), EVENTS::add, Redirects.NONE,
                InboundAuthorizer.ALLOW_ALL, InboundPeers.NONE, onlyLocalhost);
    }

    @AfterAll
    static void stop() throws IOException {
        mesh.close();
        allowed.close();
        denied.close();
    }

    @BeforeEach
    void clear() {
        ASKED.clear();
    }

    @Test
    void anAllowedNamePassesWithTheClientsProcess() throws Exception {
        try (Socket s = Socks5.connect(mesh.proxyAddress(), "localhost", allowed.port())) {
            assertThat(Http.get(s, "localhost", "/ok")).startsWith("HTTP/1.1 200").contains("hello from allowed");
        }
        EgressAuthorizer.Request r = ASKED.getFirst();
        assertThat(r.via()).isEqualTo(Via.SOCKS5);
        assertThat(r.host()).isEqualTo("localhost");
        assertThat(r.destination()).isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), allowed.port()));
        assertThat(r.pid()).as("the test JVM holds the client socket").isEqualTo((int) ProcessHandle.current().pid());
        assertThat(r.processName()).isEqualTo(ProcessHandle.current().info().command().orElseThrow());
    }

    @Test
    void aDeniedPortOrAnAddressWithoutANameIsNotAllowedByRuleset() throws Exception {
        assertThatThrownBy(() -> Socks5.connect(mesh.proxyAddress(), "localhost", denied.port()))
                .hasMessage("reply 0x02");
        InetSocketAddress literal = new InetSocketAddress(InetAddress.getLoopbackAddress(), allowed.port());
        assertThatThrownBy(() -> Socks5.connect(mesh.proxyAddress(), literal)).hasMessage("reply 0x02");
        assertThat(ASKED).extracting(EgressAuthorizer.Request::host).containsExactly("localhost", null);
        assertThat(EVENTS).anySatisfy(e -> {
            assertThat(e.error()).isEqualTo("denied by an egress policy");
            assertThat(e.destination().getPort()).isEqualTo(denied.port());
        });
    }

    @Test
    void httpConnectIsRefusedWith403() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(mesh.proxyAddress(), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("CONNECT localhost:" + denied.port() + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 403 Forbidden").endsWith("denied by an egress policy\n");
        }
        assertThat(ASKED).singleElement().satisfies(r -> assertThat(r.via()).isEqualTo(Via.HTTP_CONNECT));
    }

    @Test
    void curlThroughTheHttpProxyIsKnownByItsExecutable() throws Exception {
        assumeTrue(Http.curlExists(), "curl is not installed");
        String proxy = "http://127.0.0.1:" + mesh.proxyAddress().getPort();
        Http.Result ok = Http.curl("-x", proxy, "http://localhost:" + allowed.port() + "/c");
        assertThat(ok.output()).contains("hello from allowed path=/c");
        Http.Result no = Http.curl("-x", proxy, "-o", "/dev/null", "-w", "%{http_code}",
                "http://localhost:" + denied.port() + "/c");
        assertThat(no.output()).isEqualTo("403");
        assertThat(ASKED).hasSize(2).allSatisfy(r -> {
            assertThat(r.via()).isEqualTo(Via.HTTP);
            assertThat(r.processName()).endsWith("/curl");
            assertThat(r.pid()).isPositive().isNotEqualTo((int) ProcessHandle.current().pid());
        });
    }
}
