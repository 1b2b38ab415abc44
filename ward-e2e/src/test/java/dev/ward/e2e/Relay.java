package dev.ward.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code ward relay} as its own process on 127.0.0.1 (a free port, SQLite in a directory of the test), with an
 * agent token and an admin token. Containers in a {@code ward local} pod reach it as 10.0.2.2:PORT (on a
 * {@code --network} bridge: host.containers.internal:PORT, with the relay on 0.0.0.0).
 */
final class Relay implements AutoCloseable {
    static final String AGENT_TOKEN = "e2e-agent-token-0123456789";
    static final String ADMIN_TOKEN = "e2e-admin-token-0123456789";
    static final String READ_TOKEN = "e2e-read-token-0123456789";

    private static final ObjectMapper JSON = new ObjectMapper();

    final int port;
    /** The web console's port ({@link #withConsole}), else 0. */
    final int consolePort;
    private final Process process;
    private final Path log;

    Relay(Path dir) throws IOException, InterruptedException {
        this(dir, "127.0.0.1");
    }

    /** Listening on {@code listen} (0.0.0.0: reachable from pods on a bridge network as host.containers.internal). */
    Relay(Path dir, String listen) throws IOException, InterruptedException {
        this(dir, listen, false);
    }

    private Relay(Path dir, String listen, boolean console) throws IOException, InterruptedException {
        this.port = freePort();
        this.consolePort = console ? freePort() : 0;
        this.log = dir.resolve("relay.log");
        List<String> args = new ArrayList<>(List.of("relay", "--listen", listen, "--port", Integer.toString(port),
                "--metrics-port", "0", "--store", dir.resolve("relay.db").toString()));
        if (console) {
            args.addAll(List.of("--console-port", Integer.toString(consolePort)));
        }
        ProcessBuilder pb = new ProcessBuilder(WardCli.command(args.toArray(String[]::new)))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("WARD_RELAY_AGENT_TOKEN", AGENT_TOKEN);
        pb.environment().put("WARD_RELAY_ADMIN_TOKEN", ADMIN_TOKEN);
        if (console) {
            pb.environment().put("WARD_RELAY_READ_TOKEN", READ_TOKEN);
        }
        process = pb.start();
        awaitListening(port);
        if (console) {
            awaitListening(consolePort);
        }
    }

    /** On 127.0.0.1 with a read token too, and the web console ({@code --console-port}) on a free port. */
    static Relay withConsole(Path dir) throws IOException, InterruptedException {
        return new Relay(dir, "127.0.0.1", true);
    }

    /** Environment for admin commands ({@code ward policy}, {@code ward logs}). */
    Map<String, String> adminEnv() {
        return Map.of("WARD_RELAY", "127.0.0.1:" + port, "WARD_RELAY_ADMIN_TOKEN", ADMIN_TOKEN);
    }

    /** RELAYSERVERURL as a container of a ward local pod sees the relay. */
    String fromPod() {
        return "10.0.2.2:" + port;
    }

    /** The first stored event {@code ward logs} returns that matches {@code test}, waiting for it. */
    JsonNode awaitEvent(String filter, Predicate<JsonNode> test) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<JsonNode> seen = new ArrayList<>();
        do {
            JsonNode e = findEvent(filter, test, seen);
            if (e != null) {
                return e;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no such event in ward logs (" + seen.size() + " events): " + seen);
    }

    /** The first stored event that matches {@code test} now, or null. */
    JsonNode findEvent(String filter, Predicate<JsonNode> test) throws Exception {
        return findEvent(filter, test, new ArrayList<>());
    }

    private JsonNode findEvent(String filter, Predicate<JsonNode> test, List<JsonNode> seen) throws Exception {
        WardCli.Result r = WardCli.run(adminEnv(), 60, "logs", "--log-filter", filter, "--since", "1h", "--no-follow",
                "--json");
        if (r.exitCode() != 0) {
            throw new AssertionError("ward logs exited " + r.exitCode() + ": " + r.stderr());
        }
        seen.clear();
        for (String line : r.stdout().split("\n")) {
            if (!line.isBlank()) {
                JsonNode e = JSON.readTree(line);
                seen.add(e);
                if (test.test(e)) {
                    return e;
                }
            }
        }
        return null;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    private void awaitListening(int listening) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", listening), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("ward relay did not start: " + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
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
