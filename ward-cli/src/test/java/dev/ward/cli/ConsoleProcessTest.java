package dev.ward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ward relay --console-port} from the ward command: the relay finds the console on the CLI's class path. */
@Tag("process")
class ConsoleProcessTest {
    @TempDir
    Path dir;

    @Test
    void theWardCommandsRelayServesTheConsole() throws Exception {
        Path err = dir.resolve("relay.err");
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.ward.cli.Main", "relay",
                "--listen", "127.0.0.1", "--port", "0", "--metrics-port", "0", "--store",
                dir.resolve("relay.db").toString(), "--console-port", "0")).directory(dir.toFile())
                .redirectError(err.toFile()).redirectOutput(dir.resolve("relay.out").toFile());
        pb.environment().put("WARD_RELAY_AGENT_TOKEN", "agent-t");
        pb.environment().put("WARD_RELAY_READ_TOKEN", "read-t");
        Process relay = pb.start();
        try {
            Matcher m = Pattern.compile("console on http://127\\.0\\.0\\.1:(\\d+)/").matcher("");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!m.reset(Files.readString(err)).find()) {
                assertThat(relay.isAlive()).as("ward relay exited: " + Files.readString(err)).isTrue();
                assertThat(System.nanoTime()).as("the console did not start").isLessThan(deadline);
                Thread.sleep(50);
            }
            URI base = URI.create("http://127.0.0.1:" + m.group(1) + "/");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(base).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'");
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(base.resolve("/api/login"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"read-t\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("\"role\":\"read\"");
        } finally {
            relay.destroy();
            relay.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
