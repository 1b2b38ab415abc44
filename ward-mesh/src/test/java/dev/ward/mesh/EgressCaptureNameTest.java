package dev.ward.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.mesh.testing.TestCa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Egress by name on captured connections outside the mesh: the capture port holds the first bytes until they name
 * the server (HTTP Host, TLS SNI) or a silent client's wait is over, the authorizer decides with that name, and
 * the held bytes reach the destination unchanged; a denial is a reset.
 */
class EgressCaptureNameTest {

    private static final TestCa CA = TestCa.create("egress-name-test");
    private static final TestTask.RedirectTable REDIRECTS = new TestTask.RedirectTable();
    private static final List<String> NAMES = new CopyOnWriteArrayList<>();
    private static LocalServer http;
    private static LocalServer raw;
    private static Mesh mesh;

    @BeforeAll
    static void start() throws IOException {
        http = LocalServer.http("outside");
        raw = LocalServer.tcp(s -> {
            s.getOutputStream().write("hello first\n".getBytes(StandardCharsets.US_ASCII));
            byte[] b = new byte[8];
            int n = s.getInputStream().read(b);
            s.getOutputStream().write(("got " + n + " bytes starting " + (n > 0 ? b[0] : -1) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
        });
        EgressAuthorizer byName = new EgressAuthorizer() {
            @Override
            public boolean allow(Request r) {
                NAMES.add(r.host() + " " + r.processName());
                return r.host() == null ? r.destination().getPort() == raw.port()
                        : r.host().endsWith("allowed.example");
            }

            @Override
            public boolean namesHosts() {
                return true;
            }
        };
        SpiffeId id = new SpiffeId(TestTask.TRUST_DOMAIN, "test", "egress-name");
        WorkloadCertificate cert = CA.issue(id);
        MeshSettings settings = MeshSettings.of(TestTask.TRUST_DOMAIN, List.of(InetAddress.ofLiteral("127.0.0.5")))
                .withEphemeralPorts(true).withHbone(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        mesh = Mesh.start(settings, () -> Optional.of(cert), ip -> Optional.empty(), c -> { }, REDIRECTS,
                InboundAuthorizer.ALLOW_ALL, InboundPeers.NONE, byName);
    }

    @AfterAll
    static void stop() throws IOException {
        mesh.close();
        http.close();
        raw.close();
    }

    @Test
    void anHttpHostDecidesAndTheRequestArrivesUnchanged() throws Exception {
        try (Socket s = captured(http.port())) {
            assertThat(Http.get(s, "www.allowed.example:8080", "/in")).startsWith("HTTP/1.1 200")
                    .contains("hello from outside path=/in host=www.allowed.example:8080");
        }
        try (Socket s = captured(http.port())) {
            assertThat(readOrReset(s, "GET / HTTP/1.1\r\nHost: other.example\r\n\r\n")).isEqualTo(-1);
        }
        assertThat(NAMES).contains("www.allowed.example /usr/bin/curl", "other.example /usr/bin/curl");
    }

    @Test
    void aTlsClientHelloIsDecidedByItsSni() throws Exception {
        byte[] hello = ServerNameTest.clientHello("api.allowed.example");
        try (Socket s = captured(raw.port())) {
            s.getOutputStream().write(hello);
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("hello first\ngot 8 bytes starting 22\n");
        }
        assertThat(NAMES).contains("api.allowed.example /usr/bin/curl");
    }

    @Test
    void aSilentClientIsDecidedWithoutAName() throws Exception {
        try (Socket s = captured(raw.port())) {
            byte[] greeting = new byte[12];
            new java.io.DataInputStream(s.getInputStream()).readFully(greeting);
            assertThat(new String(greeting, StandardCharsets.US_ASCII)).isEqualTo("hello first\n");
        }
        assertThat(NAMES).contains("null /usr/bin/curl");
    }

    private static Socket captured(int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        REDIRECTS.table.put((InetSocketAddress) s.getLocalSocketAddress(), new Redirect(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 77, "/usr/bin/curl"));
        s.connect(mesh.captureAddress(), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static int readOrReset(Socket s, String request) {
        try {
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return s.getInputStream().read();
        } catch (IOException e) {
            return -1;
        }
    }
}
