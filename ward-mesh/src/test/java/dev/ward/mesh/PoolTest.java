package dev.ward.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.mesh.testing.TestCa;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One HBONE connection carries 100 concurrent streams; the 101st opens a second; idle connections close. */
class PoolTest {

    private static final TestCa CA = TestCa.create("pool-test");

    @Test
    void aHundredStreamsShareAConnectionAndTheNextOpensAnother() throws Exception {
        TestTask.Directory directory = new TestTask.Directory();
        List<Socket> open = new ArrayList<>();
        try (LocalServer echo = LocalServer.echo();
             TestTask a = TestTask.start(CA, "127.0.0.2", "client", directory,
                     s -> s.withPool(100, Duration.ofMillis(300)), Redirects.NONE, InboundAuthorizer.ALLOW_ALL);
             TestTask b = TestTask.start(CA, "127.0.0.3", "server", directory)) {
            directory.add(b);
            for (int i = 0; i < 100; i++) {
                open.add(echoed(Socks5.connect(a.mesh.proxyAddress(), b.at(echo.port())), i));
            }
            assertThat(a.mesh.counters().hboneConnections()).isEqualTo(1);
            assertThat(a.mesh.pooledConnections()).isEqualTo(1);
            open.add(echoed(Socks5.connect(a.mesh.proxyAddress(), b.at(echo.port())), 100));
            assertThat(a.mesh.counters().hboneConnections()).isEqualTo(2);
            assertThat(a.mesh.pooledConnections()).isEqualTo(2);
            for (Socket s : open) {
                s.close();
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (a.mesh.pooledConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(a.mesh.pooledConnections()).as("closed once idle").isZero();
            echoed(Socks5.connect(a.mesh.proxyAddress(), b.at(echo.port())), 0).close();
            assertThat(a.mesh.counters().hboneConnections()).as("a new connection after the idle one closed")
                    .isEqualTo(3);
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private static Socket echoed(Socket s, int i) throws Exception {
        byte[] ping = ("ping" + i).getBytes();
        s.getOutputStream().write(ping);
        assertThat(s.getInputStream().readNBytes(ping.length)).isEqualTo(ping);
        return s;
    }
}
