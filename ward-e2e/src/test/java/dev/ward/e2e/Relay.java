package dev.ward.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ward relay} as its own process on 127.0.0.1 (a free port, SQLite in a directory of the test), with an
 * agent token and an admin token. Containers in a {@code ward local} pod reach it as 10.0.2.2:PORT.
 */
final class Relay implements AutoCloseable {
    static final String AGENT_TOKEN = "e2e-agent-token-0123456789";
    static final String ADMIN_TOKEN = "e2e-admin-token-0123456789";

    final int port;
    private final Process process;
    private final Path log;

    Relay(Path dir) throws IOException, InterruptedException {
        this.port = freePort();
        this.log = dir.resolve("relay.log");
        ProcessBuilder pb = new ProcessBuilder(WardCli.command("relay", "--listen", "127.0.0.1", "--port",
                Integer.toString(port), "--metrics-port", "0", "--store", dir.resolve("relay.db").toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("WARD_RELAY_AGENT_TOKEN", AGENT_TOKEN);
        pb.environment().put("WARD_RELAY_ADMIN_TOKEN", ADMIN_TOKEN);
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("ward relay did not start: " + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
    }

    /** Environment for admin commands ({@code ward policy}, {@code ward logs}). */
    Map<String, String> adminEnv() {
        return Map.of("WARD_RELAY", "127.0.0.1:" + port, "WARD_RELAY_ADMIN_TOKEN", ADMIN_TOKEN);
    }

    /** RELAYSERVERURL as a container of a ward local pod sees the relay. */
    String fromPod() {
        return "10.0.2.2:" + port;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
