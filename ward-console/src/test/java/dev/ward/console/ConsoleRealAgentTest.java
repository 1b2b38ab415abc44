package dev.ward.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent ({@code ward run} under ptrace, in its own JVM from this test's class path, with the relay plugin)
 * blocked reading a file: its alert appears in {@code /api/alerts} and the agent in {@code /api/fleet}, connected,
 * then gone once its workload ended.
 */
@Tag("process")
class ConsoleRealAgentTest {
    @TempDir
    Path dir;

    @Test
    void aRealAgentsAlertAndFleetEntryReachTheConsole() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "hunter2\n");
        Path stop = dir.resolve("STOP");
        Path policy = Files.writeString(dir.resolve("p.yaml"), ConsolePoliciesTest.good("no-secret", "real",
                secret.toString()));
        String script = "i=0; while [ $i -lt 600 ] && [ ! -e " + stop + " ]; do cat " + secret
                + " >/dev/null 2>&1; sleep 0.1; i=$((i+1)); done";
        try (ConsoleRelay relay = ConsoleRelay.sqlite(dir)) {
            ProcessBuilder pb = new ProcessBuilder(List.of("env", "--block-signal=HUP,INT,QUIT,USR1,USR2,TERM,WINCH",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xrs", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                    "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                    "dev.ward.agent.AgentMain", "run", "--output", dir.resolve("agent.jsonl").toString(),
                    "--container-name", "real", "--policy", policy.toString(), "--", "sh", "-c", script))
                    .directory(dir.toFile()).redirectOutput(dir.resolve("agent.out").toFile())
                    .redirectError(dir.resolve("agent.err").toFile());
            pb.environment().put("RELAYSERVERURL", "http://127.0.0.1:" + relay.relay.port());
            pb.environment().put("WARD_RELAY_TOKEN", ConsoleRelay.AGENT_TOKEN);
            pb.environment().put("_JAVA_SR_SIGNUM", "40");
            pb.environment().put("WARD_SR_SIGNUM", "1");
            Process agent = pb.start();
            try {
                ConsoleRelay.Browser b = relay.browser();
                b.login(ConsoleRelay.READ_TOKEN);
                JsonNode[] alert = new JsonNode[1];
                TestWait.until("the agent's alert in /api/alerts (agent stderr: " + dir.resolve("agent.err") + ")",
                        () -> {
                            JsonNode page = read(b, "/api/alerts?container=real&action=Block");
                            alert[0] = page.get("alerts").isEmpty() ? null : page.get("alerts").get(0);
                            return alert[0] != null || !agent.isAlive();
                        });
                assertThat(alert[0]).as("an alert before the agent exited: " + Files.readString(dir.resolve(
                        "agent.err"))).isNotNull();
                assertThat(alert[0].get("Resource").asText()).isEqualTo(secret.toString());
                assertThat(alert[0].get("PolicyName").asText()).isEqualTo("no-secret");
                assertThat(alert[0].get("ProcessName").asText()).endsWith("cat");
                JsonNode tree = read(b, "/api/alerts/" + alert[0].get("id").asText()).get("tree");
                assertThat(tree.get(tree.size() - 1).get("pid").asInt()).isEqualTo(alert[0].get("PID").asInt());

                JsonNode entry = agentEntry(read(b, "/api/fleet"));
                assertThat(entry.get("state").asText()).isEqualTo("connected");
                assertThat(entry.get("events").asLong()).isPositive();
                assertThat(entry.get("policies")).isEmpty(); // its policy is its own file, not the relay's

                Files.writeString(stop, "");
                assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
                TestWait.until("the agent gone from the fleet", () -> "gone".equals(
                        agentEntry(read(b, "/api/fleet")).path("state").asText()));
            } finally {
                agent.destroyForcibly();
                agent.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static JsonNode agentEntry(JsonNode fleet) {
        for (JsonNode a : fleet.get("agents")) {
            if (a.get("container").asText().equals("real")) {
                return a;
            }
        }
        return Http.JSON.createObjectNode();
    }

    private static JsonNode read(ConsoleRelay.Browser b, String path) {
        try {
            return Http.JSON.readTree(b.get(path).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
