package dev.ward.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code ward run} on this machine (ptrace, no container) reporting to a relay, its output in files. */
final class WardRun implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;

    private WardRun(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** {@code ward run --container-name CONTAINER --policy POLICY -- sh -c SCRIPT}, connected to relay. */
    static WardRun start(Path dir, Relay relay, String container, Path policy, String script) throws IOException {
        Path out = dir.resolve("agent.out");
        Path err = dir.resolve("agent.err");
        List<String> args = new ArrayList<>(List.of("run", "--container-name", container, "--policy", policy.toString(),
                "--", "sh", "-c", script));
        ProcessBuilder pb = new ProcessBuilder(WardCli.command(args.toArray(String[]::new)))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).directory(dir.toFile());
        pb.environment().put("RELAYSERVERURL", "127.0.0.1:" + relay.port);
        pb.environment().put("WARD_RELAY_TOKEN", Relay.AGENT_TOKEN);
        return new WardRun(pb.start(), out, err);
    }

    String stdout() throws IOException {
        return Files.readString(out);
    }

    String stderr() throws IOException {
        return Files.readString(err);
    }

    /** Waits until the workload's output after character {@code from} contains {@code text}. */
    void awaitStdout(int from, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            String now = stdout();
            if (now.length() > from && now.substring(from).contains(text)) {
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the workload never printed '" + text + "' (agent "
                        + (process.isAlive() ? "running" : "exited " + process.exitValue()) + "); stderr:\n"
                        + stderr());
            }
            Thread.sleep(250);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
