package dev.ward.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.mesh.MeshConnection.Via;
import dev.ward.mesh.testing.TestCa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The capture port as the supervisor uses it: the application's socket is connected to 15001 instead of its
 * destination, and the redirect is recorded under its loopback source (bound first here, or after the accept).
 */
class CaptureTest {

    private static final TestCa CA = TestCa.create("capture-test");
    private static final TestTask.Directory DIRECTORY = new TestTask.Directory();
    private static final TestTask.RedirectTable REDIRECTS = new TestTask.RedirectTable();
    private static TestTask a;
    private static TestTask b;
    private static LocalServer app;

    @BeforeAll
    static void start() throws IOException {
        a = TestTask.start(CA, "127.0.0.2", "client", DIRECTORY, s -> s, REDIRECTS, InboundAuthorizer.ALLOW_ALL);
        b = TestTask.start(CA, "127.0.0.3", "server", DIRECTORY);
        DIRECTORY.add(b);
        app = LocalServer.http("B");
    }

    @AfterAll
    static void stop() throws IOException {
        a.close();
        b.close();
        app.close();
    }

    @Test
    void aCapturedConnectReachesTheMeshedDestination() throws Exception {
        try (Socket s = captured(b.at(app.port()), 4242, "curl")) {
            assertThat(Http.get(s, "svc", "/captured")).startsWith("HTTP/1.1 200").contains("path=/captured");
        }
        MeshConnection out = a.awaitEvent(e -> e.pid() == 4242);
        assertThat(out.via()).isEqualTo(Via.CAPTURED);
        assertThat(out.pid()).isEqualTo(4242);
        assertThat(out.mtls()).isTrue();
        assertThat(out.hboneStatus()).isEqualTo(200);
        assertThat(out.destination()).isEqualTo(b.at(app.port()));
        a.events.clear();
    }

    @Test
    void aCapturedConnectToANonMeshedDestinationPassesThrough() throws Exception {
        InetSocketAddress plain = new InetSocketAddress(InetAddress.getLoopbackAddress(), app.port());
        try (Socket s = captured(plain, 7, "wget")) {
            assertThat(Http.get(s, "plain", "/p")).contains("path=/p");
        }
        assertThat(a.awaitEvent(e -> e.pid() == 7).mtls()).isFalse();
        a.events.clear();
    }

    /** The supervisor records the redirect after its connect: the capture port waits for the entry. */
    @Test
    void aRedirectRecordedAfterTheAcceptStillReachesItsDestination() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(a.mesh.captureAddress(), 5000);
            s.setSoTimeout(10_000);
            Thread.sleep(5);
            REDIRECTS.table.put((InetSocketAddress) s.getLocalSocketAddress(),
                    new Redirect(b.at(app.port()), 4343, "late"));
            assertThat(Http.get(s, "svc", "/late")).startsWith("HTTP/1.1 200").contains("path=/late");
        }
        MeshConnection out = a.awaitEvent(e -> e.pid() == 4343);
        assertThat(out.via()).isEqualTo(Via.CAPTURED);
        assertThat(out.destination()).isEqualTo(b.at(app.port()));
        a.events.clear();
    }

    @Test
    void aConnectionWithoutARedirectIsClosed() throws Exception {
        try (Socket s = new Socket()) {
            s.setSoTimeout(5000);
            s.connect(a.mesh.captureAddress());
            s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes());
            assertThat(readOrReset(s)).isEqualTo(-1);
        }
    }

    @Test
    void aFailedMeshedConnectIsAReset() throws Exception {
        try (Socket s = captured(b.at(ProxyTest.closedPort()), 9, "app")) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("hello".getBytes());
            assertThat(readOrReset(s)).isEqualTo(-1);
        }
        assertThat(a.awaitEvent(e -> e.pid() == 9).hboneStatus()).isEqualTo(503);
        a.events.clear();
    }

    /** A socket bound first (so its address is known), registered, then connected to the capture port. */
    private static Socket captured(InetSocketAddress destination, int pid, String process) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        REDIRECTS.table.put((InetSocketAddress) s.getLocalSocketAddress(), new Redirect(destination, pid, process));
        s.connect(a.mesh.captureAddress(), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static int readOrReset(Socket s) {
        try {
            return s.getInputStream().read();
        } catch (IOException e) {
            return -1;
        }
    }
}
