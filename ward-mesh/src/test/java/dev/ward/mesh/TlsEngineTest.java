package dev.ward.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.mesh.MeshSettings.TlsEngine;
import dev.ward.mesh.testing.TestCa;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** The JDK's TLS (the fallback when BoringSSL does not load) and BoringSSL talk to each other both ways. */
class TlsEngineTest {

    private static final TestCa CA = TestCa.create("engine-test");

    @Test
    void jdkAndBoringSslInteroperate() throws Exception {
        TestTask.Directory directory = new TestTask.Directory();
        try (LocalServer app = LocalServer.http("app");
             TestTask jdk = TestTask.start(CA, "127.0.0.2", "jdk", directory, s -> s.withTls(TlsEngine.JDK),
                     Redirects.NONE, InboundAuthorizer.ALLOW_ALL);
             TestTask auto = TestTask.start(CA, "127.0.0.3", "auto", directory)) {
            directory.add(jdk);
            directory.add(auto);
            assertThat(jdk.mesh.engine()).startsWith("JDK/");
            try (Socket s = Socks5.connect(jdk.mesh.proxyAddress(), auto.at(app.port()))) {
                assertThat(Http.get(s, "x", "/one")).contains("path=/one");
            }
            try (Socket s = Socks5.connect(auto.mesh.proxyAddress(), jdk.at(app.port()))) {
                assertThat(Http.get(s, "x", "/two")).contains("path=/two");
            }
        }
    }

    @Test
    void aRenewedCertificateIsUsedForNewConnections() throws Exception {
        TestTask.Directory directory = new TestTask.Directory();
        try (LocalServer app = LocalServer.http("app");
             TestTask a = TestTask.start(CA, "127.0.0.2", "a", directory,
                     s -> s.withPool(100, java.time.Duration.ofMillis(50)), Redirects.NONE,
                     InboundAuthorizer.ALLOW_ALL);
             TestTask b = TestTask.start(CA, "127.0.0.3", "b", directory)) {
            directory.add(b);
            assertThat(get(a, b, app)).contains("hello");
            awaitEmptyPool(a);
            a.certificate.set(TestCa.create("rogue").issue(a.id));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> get(a, b, app)).hasMessage("reply 0x04");
            awaitEmptyPool(a);
            a.certificate.set(CA.issue(a.id));
            assertThat(get(a, b, app)).contains("hello");
        }
    }

    private static String get(TestTask a, TestTask b, LocalServer app) throws Exception {
        try (Socket s = Socks5.connect(a.mesh.proxyAddress(), b.at(app.port()))) {
            return Http.get(s, "x", "/");
        }
    }

    private static void awaitEmptyPool(TestTask a) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (a.mesh.pooledConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(a.mesh.pooledConnections()).isZero();
    }
}
