package dev.ward.mesh;

import static dev.ward.mesh.HttpWire.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.mesh.testing.TestCa;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * L7 authorization inside B's inbound tunnels, through real sockets: A's SOCKS5 port, HBONE, B's HTTP gate, B's
 * application. The rules are "POST-only" ({@link L7Rules}): GET is answered 403 by B's proxy.
 */
class L7InboundTest {

    private static final TestCa CA = TestCa.create("l7-test");
    private static final TestTask.Directory DIRECTORY = new TestTask.Directory();
    private static final L7Rules RULES = new L7Rules();
    private static final String DENIED = "RBAC: access denied";
    private static TestTask a;
    private static TestTask b;
    private static HttpWire.App app;
    private static LocalServer echo;
    private static LocalServer digest;
    private static H2cApp h2c;

    @BeforeAll
    static void start() throws Exception {
        a = TestTask.start(CA, "127.0.0.2", "client", DIRECTORY);
        b = TestTask.start(CA, "127.0.0.3", "server", DIRECTORY, s -> s, Redirects.NONE, RULES);
        DIRECTORY.add(a);
        DIRECTORY.add(b);
        app = new HttpWire.App();
        echo = LocalServer.echo();
        digest = LocalServer.digest();
        h2c = new H2cApp();
    }

    @AfterAll
    static void stop() throws IOException {
        a.close();
        b.close();
        app.close();
        echo.close();
        digest.close();
        h2c.close();
    }

    @BeforeEach
    void clear() {
        RULES.clear();
        app.seen.clear();
    }

    @Test
    void onAKeepAliveConnectionAllowedRequestsPassAndADeniedOneGets403ThenTheConnectionCloses() throws Exception {
        try (Socket s = open(app.port())) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(ascii("POST /orders?id=1 HTTP/1.1\r\nHost: svc\r\nContent-Length: 5\r\n\r\nhello"));
            HttpWire.Response ok = HttpWire.read(in);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("POST /orders?id=1 5\n");
            out.write(ascii("GET /orders HTTP/1.1\r\nHost: svc\r\nX-User: alice\r\n\r\n"));
            HttpWire.Response denied = HttpWire.read(in);
            assertThat(denied.status()).isEqualTo(403);
            assertThat(denied.body()).isEqualTo(DENIED);
            assertThat(denied.headers()).containsEntry("content-type", "text/plain")
                    .containsEntry("content-length", "19").containsEntry("connection", "close");
            assertThat(in.read()).as("the connection closes after the 403").isEqualTo(-1);
        }
        try (Socket s = open(app.port())) {
            s.getOutputStream().write(ascii("POST /again HTTP/1.1\r\nHost: svc\r\nContent-Length: 0\r\n\r\n"));
            assertThat(HttpWire.read(s.getInputStream()).body()).isEqualTo("POST /again 0\n");
        }
        assertThat(app.seen).containsExactly("POST /orders?id=1 5", "POST /again 0");
        assertThat(RULES.requests).containsExactly("POST /orders?id=1 host=svc HTTP/1.1 headers=2",
                "GET /orders host=svc HTTP/1.1 headers=2", "POST /again host=svc HTTP/1.1 headers=2");
        assertThat(RULES.tunnels).as("no L4 decision when L7 decides").hasValue(0);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndNothingAfterADenialReachesTheApplication() throws Exception {
        String requests = "POST /1 HTTP/1.1\r\nHost: svc\r\nContent-Length: 3\r\n\r\nabc"
                + "POST /2 HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4;ext=1\r\nwxyz\r\n2\r\n!!\r\n0\r\nX-Trailer: t\r\n\r\n"
                + "GET /3 HTTP/1.1\r\nHost: svc\r\n\r\n"
                + "POST /4 HTTP/1.1\r\nHost: svc\r\nContent-Length: 0\r\n\r\n";
        try (Socket s = open(app.port())) {
            s.getOutputStream().write(ascii(requests));
            InputStream in = s.getInputStream();
            assertThat(HttpWire.read(in).body()).isEqualTo("POST /1 3\n");
            assertThat(HttpWire.read(in).body()).as("app saw %s", app.seen).isEqualTo("POST /2 6\n");
            HttpWire.Response third = HttpWire.read(in);
            assertThat(third.status()).isEqualTo(403);
            assertThat(third.body()).isEqualTo(DENIED);
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(app.seen).containsExactly("POST /1 3", "POST /2 6");
        assertThat(RULES.requests).extracting(r -> r.substring(0, r.indexOf(" host")))
                .containsExactly("POST /1", "POST /2", "GET /3");
    }

    @Test
    void allowedRequestsReachTheApplicationByteForByte() throws Exception {
        StringBuilder sent = new StringBuilder("\r\n");
        for (int i = 0; i < 50; i++) {
            sent.append("PUT /item/").append(i).append(" HTTP/1.1\r\nhost:  svc \r\nx-a:\tb\r\n");
            if (i % 2 == 0) {
                sent.append("Content-Length: ").append(i).append("\r\n\r\n").append("z".repeat(i));
            } else {
                sent.append("Transfer-Encoding: gzip, chunked\r\n\r\n").append(Integer.toHexString(i * 100))
                        .append("\r\n").append("y".repeat(i * 100)).append("\r\n0\r\n\r\n");
            }
        }
        byte[] bytes = ascii(sent.toString());
        try (Socket s = open(digest.port())) {
            for (int off = 0; off < bytes.length; off += 777) {
                s.getOutputStream().write(bytes, off, Math.min(777, bytes.length - off));
                s.getOutputStream().flush();
            }
            s.shutdownOutput();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String expected = bytes.length + " " + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(bytes)) + "\n";
            assertThat(answer).isEqualTo(expected);
        }
        assertThat(RULES.requests).hasSize(50).allMatch(r -> r.contains("host=svc "));
    }

    @Test
    void trafficThatIsNotHttpIsDecidedOnceAsUnparsedAndResetWhenRefused() throws Exception {
        try (Socket s = open(echo.port())) {
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o'});
            assertThat(readQuietly(s.getInputStream())).isEmpty();
        }
        assertThat(RULES.unparsed).containsExactly("not http");
        RULES.unparsedAllowed = true;
        try (Socket s = open(echo.port())) {
            s.getOutputStream().write(ascii("SSH-2.0-OpenSSH_9.2\r\nmore"));
            s.shutdownOutput();
            assertThat(readQuietly(s.getInputStream())).isEqualTo("SSH-2.0-OpenSSH_9.2\r\nmore");
        }
        assertThat(RULES.unparsed).containsExactly("not http", "not http");
        assertThat(RULES.requests).isEmpty();
        RULES.unparsedAllowed = false;
        try (Socket s = open(app.port())) {
            s.getOutputStream().write(ascii("POST /x HTTP/1.1\r\nHost: svc\r\nContent-Length: 0\r\n\r\n"
                    + "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
            readQuietly(s.getInputStream());
        }
        assertThat(RULES.unparsed).endsWith("h2c after HTTP/1.1");
    }

    @Test
    void h2cIsDecidedPerStreamAndADeniedStreamLeavesTheOthersAlone() throws Exception {
        H2cClient.Request list = new H2cClient.Request("GET", "/list", null);
        H2cClient.Request order = new H2cClient.Request("POST", "/orders", "order=1");
        H2cClient.Request bad = new H2cClient.Request("POST", "/bad%00", null);
        H2cClient.Request denied = new H2cClient.Request("POST", "/deny", "x".repeat(100_000));
        H2cClient.Request more = new H2cClient.Request("POST", "/more", "y".repeat(200_000));
        try (Socket s = open(h2c.port())) {
            assertThat(H2cClient.exchange(s, "svc", list, order, bad, denied, more)).containsExactly(
                    java.util.Map.entry(list, "403 " + DENIED), java.util.Map.entry(order, "200 h2 POST /orders 7\n"),
                    java.util.Map.entry(bad, "400 Bad Request"), java.util.Map.entry(denied, "403 " + DENIED),
                    java.util.Map.entry(more, "200 h2 POST /more 200000\n"));
        }
        assertThat(h2c.seen).containsExactlyInAnyOrder("h2 POST /orders 7", "h2 POST /more 200000");
        assertThat(RULES.requests).extracting(q -> q.substring(0, q.indexOf(" host=")))
                .containsExactly("GET /list", "POST /orders", "POST /bad%00", "POST /deny", "POST /more");
        assertThat(RULES.requests).allMatch(q -> q.contains(" host=svc HTTP/2 headers=0"));
        assertThat(RULES.unparsed).isEmpty();
    }

    @Test
    void anUpgradeRequestLeavesTheRestOfTheTunnelToTheUnparsedDecision() throws Exception {
        RULES.unparsedAllowed = true;
        try (Socket s = open(digest.port())) {
            byte[] bytes = ascii("POST /ws HTTP/1.1\r\nHost: svc\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                    + "GET /not-parsed HTTP/1.1\r\n\r\n");
            s.getOutputStream().write(bytes);
            s.shutdownOutput();
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .startsWith(bytes.length + " ");
        }
        assertThat(RULES.requests).hasSize(1);
        assertThat(RULES.unparsed).containsExactly("upgrade");
    }

    @Test
    void ambiguousOrOversizedHeadsAndBadPathsAreRefusedBeforeTheApplication() throws Exception {
        assertRefused("POST /x HTTP/1.1\r\nHost: svc\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400);
        assertRefused("POST /x HTTP/1.1\r\nHost: svc\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400);
        assertRefused("POST /x HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400);
        assertRefused("POST /x HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 400);
        assertRefused("POST /x HTTP/1.1\r\nHost: svc\r\n folded\r\n\r\n", 400);
        assertRefused("POST /x HTTP/1.1\r\nHost: svc\r\nX-Big: " + "b".repeat(70_000) + "\r\n\r\n", 431);
        assertRefused("POST /bad%00 HTTP/1.1\r\nHost: svc\r\nContent-Length: 0\r\n\r\n", 400);
        assertThat(app.seen).isEmpty();
        assertThat(RULES.requests).hasSize(1).allMatch(r -> r.startsWith("POST /bad"));
    }

    @Test
    void withoutL7PoliciesTheTunnelIsDecidedOnceAndNothingIsParsed() throws Exception {
        RULES.l7 = false;
        try (Socket s = open(echo.port())) {
            byte[] notHttp = ascii("GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n\u0016");
            s.getOutputStream().write(notHttp);
            s.shutdownOutput();
            assertThat(readQuietly(s.getInputStream())).isEqualTo(new String(notHttp, StandardCharsets.US_ASCII));
        }
        assertThat(RULES.tunnels).hasValue(1);
        assertThat(RULES.requests).isEmpty();
        assertThat(RULES.unparsed).isEmpty();
    }

    private static void assertRefused(String request, int status) throws Exception {
        try (Socket s = open(app.port())) {
            s.getOutputStream().write(ascii(request));
            HttpWire.Response r = HttpWire.read(s.getInputStream());
            assertThat(r.status()).as(request.lines().skip(1).findFirst().orElse("")).isEqualTo(status);
            assertThat(r.headers()).containsEntry("connection", "close");
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    private static Socket open(int port) throws IOException {
        return Socks5.connect(a.mesh.proxyAddress(), b.at(port));
    }

    /** What arrives until the end of the stream or a reset. */
    private static String readQuietly(InputStream in) {
        StringBuilder got = new StringBuilder();
        try {
            for (int c = in.read(); c >= 0; c = in.read()) {
                got.append((char) c);
            }
        } catch (IOException reset) {
            // a reset ends what the test reads
        }
        return got.toString();
    }
}
