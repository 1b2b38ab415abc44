package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.api.LogFilter;
import dev.ward.policy.KubeArmorPolicy;
import dev.ward.relay.client.FakeContext;
import dev.ward.relay.client.RelayPlugin;
import dev.ward.relay.store.Store;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS on the listener: the CLI (netty) and the agent plugin (okhttp) connect with the CA, plaintext fails. */
@Tag("process")
class TlsTest {
    @TempDir
    Path dir;

    private void selfSigned(Path cert, Path key) throws Exception {
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost", "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1").redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("openssl.log"))).isZero();
    }

    @Test
    void clientsConnectWithTheCaAndPlaintextIsRefused() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSigned(cert, key);
        try (Store store = Store.open(dir.resolve("r.db").toString(), null, null);
                RelayServer relay = RelayServer.start(NettyServerBuilder.forAddress(
                        new InetSocketAddress("127.0.0.1", 0), TlsServerCredentials.create(cert.toFile(), key.toFile())),
                        RelayServer.Settings.of(TestRelay.AGENT_TOKEN, TestRelay.ADMIN_TOKEN, null), store,
                        new PrintStream(PrintStream.nullOutputStream()))) {
            store.putPolicy("", "tls-policy", TestRelay.policy("tls-policy", "tls-agent", "/etc/shadow"));
            String address = "localhost:" + relay.port();
            Path file = Files.writeString(dir.resolve("p.yaml"), TestRelay.policy("via-tls", "tls-agent", "/etc/x"));
            Map<String, String> env = Map.of("WARD_RELAY_ADMIN_TOKEN", TestRelay.ADMIN_TOKEN);

            var add = NettyRelay.run(new PolicyAddCommand(), env, "--relay", address, "--ca", cert.toString(),
                    file.toString());
            assertThat(add.exit()).as(add.err()).isZero();
            assertThat(add.out()).contains("via-tls: Applied");

            var plain = NettyRelay.run(new PolicyListCommand(), env, "--relay", address);
            assertThat(plain.exit()).isEqualTo(1);
            assertThat(plain.err()).startsWith("ward list: cannot reach the relay at " + address);

            // The agent side: okhttp with WARD_RELAY_CA receives its policy set over TLS.
            FakeContext ctx = new FakeContext("h", "tls-agent", Map.of("RELAYSERVERURL", "https://" + address,
                    "WARD_RELAY_TOKEN", TestRelay.AGENT_TOKEN, "WARD_RELAY_CA", cert.toString(),
                    "WARD_RELAY_DRAIN_TIMEOUT", "0s"), LogFilter.POLICY, new PrintStream(PrintStream.nullOutputStream()));
            RelayPlugin plugin = new RelayPlugin();
            plugin.start(ctx);
            try {
                TestRelay.await("the policy set over TLS", () -> ctx.policies().size() == 2);
                assertThat(ctx.policies()).extracting(KubeArmorPolicy::name).containsExactly("tls-policy", "via-tls");
            } finally {
                plugin.stop();
            }
        }
    }
}
