package dev.ward.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.relay.RelayConsole;
import dev.ward.relay.RelayServer;
import dev.ward.relay.store.Store;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console over HTTPS with the relay's certificate and key: the cookie is Secure, the Origin must be https. */
@Tag("process")
class ConsoleTlsTest {
    @TempDir
    Path dir;

    @Test
    void overTlsTheSessionCookieIsSecure() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("openssl.log"))).isZero();
        try (Store store = Store.open(dir.resolve("r.db").toString(), null, null);
                RelayServer relay = RelayServer.start(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1",
                        0)), RelayServer.Settings.of("agent", "admin", null), store,
                        new PrintStream(PrintStream.nullOutputStream()))) {
            RelayConsole.Running console = new ConsoleServer().start(relay.console(),
                    new InetSocketAddress("127.0.0.1", 0), RelayConsole.tls(cert, key), System.err);
            try {
                HttpClient http = HttpClient.newBuilder().sslContext(trusting(cert)).build();
                URI base = URI.create("https://127.0.0.1:" + console.port());
                HttpResponse<String> login = http.send(HttpRequest.newBuilder(base.resolve("/api/login"))
                        .header("Origin", base.toString()).POST(HttpRequest.BodyPublishers.ofString(
                                "{\"token\":\"admin\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(login.statusCode()).isEqualTo(200);
                assertThat(login.headers().firstValue("Set-Cookie").orElseThrow())
                        .endsWith("; Path=/; HttpOnly; SameSite=Strict; Secure");
                HttpResponse<String> plainOrigin = http.send(HttpRequest.newBuilder(base.resolve("/api/login"))
                        .header("Origin", "http://127.0.0.1:" + console.port()).POST(HttpRequest.BodyPublishers
                                .ofString("{\"token\":\"admin\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(plainOrigin.statusCode()).isEqualTo(403);
            } finally {
                console.close();
            }
        }
        Files.writeString(dir.resolve("not.pem"), "nothing");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> RelayConsole.tls(dir.resolve("not.pem"),
                key))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not.pem");
    }

    @Test
    void withoutAReadOrAdminTokenTheConsoleRefusesToStart() throws Exception {
        try (Store store = Store.open(dir.resolve("n.db").toString(), null, null);
                RelayServer relay = RelayServer.start(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1",
                        0)), RelayServer.Settings.of("agent", null, null), store,
                        new PrintStream(PrintStream.nullOutputStream()))) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new ConsoleServer().start(relay.console(),
                    new InetSocketAddress("127.0.0.1", 0), null, System.err)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("show the fleet to anyone");
        }
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("console", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
