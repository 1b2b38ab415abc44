package dev.ward.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real agent ({@code ward run}) in its own JVM, as a container entrypoint starts it: forwarded signals
 * blocked, -Xrs, and this test's class path, which holds ward-relay-client (the relay plugin). The test JVM
 * traces nothing, so starting processes from it is safe.
 */
final class AgentJvm implements AutoCloseable {
    final Process process;
    final Path out;
    final Path err;

    private AgentJvm(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static AgentJvm start(Path dir, String name, Map<String, String> env, List<String> args) throws IOException {
        return start(List.of(), dir, name, env, args);
    }

    /** The agent run under {@code prefix} (for example {@code ip netns exec TASK}: a task's network namespace). */
    static AgentJvm start(List<String> prefix, Path dir, String name, Map<String, String> env, List<String> args)
            throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("env", "--block-signal=HUP,INT,QUIT,USR1,USR2,TERM,WINCH",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xrs", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                "dev.ward.agent.AgentMain", "run", "--output", dir.resolve(name + ".jsonl").toString()));
        cmd.addAll(args);
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("_JAVA_SR_SIGNUM", "40");
        pb.environment().put("WARD_SR_SIGNUM", "1");
        pb.environment().putAll(env);
        return new AgentJvm(pb.start(), out, err);
    }

    String stdout() throws IOException {
        return Files.readString(out);
    }

    String stderr() throws IOException {
        return Files.readString(err);
    }

    /** Waits for {@code text} in the file from {@code from} on; returns the file. */
    String await(Path file, int from, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String s = Files.readString(file);
            if (s.length() > from && s.substring(from).contains(text)) {
                return s;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + text + "' in " + file.getFileName() + " after offset " + from
                + "; stderr:\n" + stderr());
    }

    int awaitExit() throws Exception {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the agent did not exit in 120 s; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
