package dev.ward.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** {@code ward relay} in a JVM of its own, so that a test can kill it as a crash would (SIGKILL). */
final class RelayProcess implements AutoCloseable {
    final Process process;
    final int port;
    final Path log;

    private RelayProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The relay process's entry point: {@code ward relay ARGS}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new RelayCommand()).execute(args));
    }

    static RelayProcess start(Path dir, Map<String, String> env, String... args) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                RelayProcess.class.getName(), "--listen", "127.0.0.1", "--port", Integer.toString(port),
                "--metrics-port", "0"));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "relay-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        RelayProcess r = new RelayProcess(pb.start(), port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains("listening on")) {
            if (!r.process.isAlive() || System.nanoTime() > deadline) {
                r.close();
                throw new AssertionError("the relay process did not start:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return r;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    /** SIGKILL: no shutdown hook, nothing flushed, connections cut. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
