package dev.ward.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.api.Entrypoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real agent ({@code ward run}) as a separate JVM, the way a container entrypoint does, and
 * collects its exit code, the workload's output and the telemetry. The test JVM never traces anything
 * here, so using ProcessBuilder in it is safe.
 *
 * <p>The agent's JVM gets the test's class path, unless the system property {@value #CLASS_PATH} names another
 * (the arm64 VM gives the agent's jars alone, which an AOT cache needs), and the JVM flags of the environment
 * variable {@value #JAVA_OPTS} after its own (there: {@code -XX:AOTCache=...}, trained in the VM).
 */
final class AgentProcess {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CLASS_PATH = "ward.test.agent.classpath";
    static final String JAVA_OPTS = "WARD_TEST_AGENT_JAVA_OPTS";

    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new java.util.HashMap<>();
    private boolean blockSignals = true;
    private final List<String> wrapper = new ArrayList<>();
    private Path workDir;

    static AgentProcess run(String... agentArgs) {
        AgentProcess p = new AgentProcess();
        p.args.addAll(List.of(agentArgs));
        return p;
    }

    AgentProcess env(String key, String value) {
        env.put(key, value);
        return this;
    }

    AgentProcess in(Path dir) {
        this.workDir = dir;
        return this;
    }

    /** Runs the agent under another program, e.g. strace. */
    AgentProcess under(String... command) {
        wrapper.addAll(List.of(command));
        return this;
    }

    /** Start the JVM without the signals pre-blocked, so the agent must re-execute itself. */
    AgentProcess withoutLauncherMask() {
        this.blockSignals = false;
        return this;
    }

    Process start(Path telemetry, Path stdout, Path stderr) throws IOException {
        List<String> cmd = new ArrayList<>(wrapper);
        if (blockSignals) {
            cmd.addAll(List.of("env", Entrypoint.BLOCK_SIGNALS));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (blockSignals) {
            cmd.add("-Xrs");
        }
        // -Dward.exit=direct: as every launcher starts the agent (jvm.flags), so that the tests see its own exit
        cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-Dward.exit=direct"));
        String opts = System.getenv(JAVA_OPTS);
        if (opts != null && !opts.isBlank()) {
            cmd.addAll(List.of(opts.strip().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty(CLASS_PATH, System.getProperty("java.class.path")),
                AgentMain.class.getName(), "run", "--output", telemetry.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        if (blockSignals) {
            pb.environment().put("_JAVA_SR_SIGNUM", SignalRelay.SR_SIGNUM);
            pb.environment().put("WARD_SR_SIGNUM", "1");
        }
        pb.environment().putAll(env);
        return pb.start();
    }

    Result await(Path dir) throws IOException, InterruptedException {
        Path telemetry = dir.resolve("telemetry.jsonl");
        Path out = dir.resolve("agent.out");
        Path err = dir.resolve("agent.err");
        Files.deleteIfExists(telemetry); // --output appends: each run reports only its own events
        Process p = start(telemetry, out, err);
        return finish(p, telemetry, out, err);
    }

    static Result finish(Process p, Path telemetry, Path out, Path err) throws IOException, InterruptedException {
        // Seconds on a host; several times longer under emulation (the arm64 VM), hence the generous bound.
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("agent did not finish in 180 s; stderr:\n" + Files.readString(err));
        }
        List<JsonNode> events = new ArrayList<>();
        if (Files.exists(telemetry)) {
            for (String line : Files.readAllLines(telemetry, StandardCharsets.UTF_8)) {
                events.add(JSON.readTree(line));
            }
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err), events);
    }

    record Result(int exitCode, String stdout, String stderr, List<JsonNode> events) {
        List<JsonNode> alerts() {
            return events.stream().filter(e -> "MatchedPolicy".equals(e.path("Type").asText())).toList();
        }

        List<JsonNode> logs() {
            return events.stream().filter(e -> "ContainerLog".equals(e.path("Type").asText())).toList();
        }
    }
}
