package dev.ward.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.mesh.testing.TestCa;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bytes through SOCKS5 -> HBONE -> inbound arrive intact, and a half-close still gets its answer. */
class TransferTest {

    private static final TestCa CA = TestCa.create("transfer-test");
    private static final TestTask.Directory DIRECTORY = new TestTask.Directory();
    private static TestTask a;
    private static TestTask b;
    private static LocalServer digest;

    @BeforeAll
    static void start() throws Exception {
        a = TestTask.start(CA, "127.0.0.2", "client", DIRECTORY);
        b = TestTask.start(CA, "127.0.0.3", "server", DIRECTORY);
        DIRECTORY.add(b);
        digest = LocalServer.digest();
    }

    @AfterAll
    static void stop() throws Exception {
        a.close();
        b.close();
        digest.close();
    }

    @BeforeEach
    void clearEvents() {
        a.events.clear();
    }

    @Test
    void halfCloseLetsTheServerAnswerAfterTheClientsEnd() throws Exception {
        try (Socket s = Socks5.connect(a.mesh.proxyAddress(), b.at(digest.port()))) {
            s.getOutputStream().write("abc".getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            String answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            MessageDigest sha = LocalServer.sha256();
            assertThat(answer).isEqualTo("3 " + HexFormat.of().formatHex(sha.digest("abc".getBytes())));
            assertThat(s.getInputStream().read()).as("then the server's end").isEqualTo(-1);
        }
        MeshConnection out = a.awaitEvent(e -> e.bytesSent() == 3);
        assertThat(out.error()).isNull();
        assertThat(out.bytesSent()).isEqualTo(3);
    }

    @Test
    void twoHundredFiftySixMebibytesArriveIntact() throws Exception {
        long size = 256L << 20;
        MessageDigest sha = LocalServer.sha256();
        byte[] chunk = new byte[1 << 20];
        SplittableRandom random = new SplittableRandom(42);
        String answer;
        try (Socket s = Socks5.connect(a.mesh.proxyAddress(), b.at(digest.port()))) {
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            for (long sent = 0; sent < size; sent += chunk.length) {
                for (int i = 0; i < chunk.length; i += 8) {
                    long r = random.nextLong();
                    for (int j = 0; j < 8; j++) {
                        chunk[i + j] = (byte) (r >>> (j * 8));
                    }
                }
                sha.update(chunk);
                out.write(chunk);
            }
            s.shutdownOutput();
            answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
        assertThat(answer).isEqualTo(size + " " + HexFormat.of().formatHex(sha.digest()));
    }
}
