package dev.ward.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.check.CheckResult;
import dev.ward.check.Checker;
import dev.ward.check.Finding;
import dev.ward.check.rules.RuleContext;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Posture (ward check on pasted input, and its SARIF) and the fleet (connected and gone agents). */
@Tag("process")
class ConsolePostureFleetTest {
    static final String SEED = "001-backend-flask-task-definition.json";

    @TempDir
    static Path dir;
    static ConsoleRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = ConsoleRelay.sqlite(dir);
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void postureFindsWhatWardCheckFinds() throws Exception {
        String content;
        try (var in = ConsolePostureFleetTest.class.getResourceAsStream("/" + SEED)) {
            content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ConsoleRelay.Browser b = relay.browser();
        b.login(ConsoleRelay.READ_TOKEN);
        String body = Http.JSON.createObjectNode().put("content", content).put("filename", SEED).toString();
        HttpResponse<String> r = b.send("POST", "/api/posture", body);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode result = Http.JSON.readTree(r.body());
        assertThat(result.get("input").asText()).isEqualTo("ecs-task-definition");

        Path file = Files.writeString(dir.resolve(SEED), content);
        CheckResult cli = new Checker(RuleContext.defaults(), List.of(), dir).run(List.of(file)); // ward check FILE
        List<String> expected = new ArrayList<>();
        for (Finding f : cli.findings()) {
            expected.add(f.rule().id() + "@" + f.loc().pos().line() + ":" + f.loc().pos().column());
        }
        List<String> got = new ArrayList<>();
        for (JsonNode f : result.get("findings")) {
            got.add(f.get("rule").asText() + "@" + f.get("location").get("line").asInt() + ":"
                    + f.get("location").get("column").asInt());
        }
        assertThat(expected).isNotEmpty();
        assertThat(got).isEqualTo(expected);
        assertThat(result.get("findings").get(0).get("title").asText()).isNotEmpty();

        HttpResponse<String> sarif = b.send("POST", "/api/posture?format=sarif", body);
        assertThat(sarif.statusCode()).isEqualTo(200);
        assertThat(sarif.headers().firstValue("Content-Type")).hasValue("application/sarif+json");
        assertThat(sarif.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"ward-check.sarif\"");
        JsonNode s = Http.JSON.readTree(sarif.body());
        assertThat(s.get("version").asText()).isEqualTo("2.1.0");
        assertThat(s.get("runs").get(0).get("results")).hasSize(expected.size());

        HttpResponse<String> bad = b.send("POST", "/api/posture", Http.JSON.createObjectNode()
                .put("content", "{\"family\": \"x\",\n \"containerDefinitions\": [}").put("filename", "t.json")
                .toString());
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(Http.JSON.readTree(bad.body()).get("error").asText()).startsWith("t.json:2:");
    }

    @Test
    void theFleetShowsConnectedAgentsAndTheOnesThatWentAway() throws Exception {
        ConsoleRelay.Browser b = relay.browser();
        b.login(ConsoleRelay.READ_TOKEN);
        long now = System.currentTimeMillis() * 1_000_000L;
        try (WireAgent stays = relay.agent("stays")) {
            try (WireAgent leaves = relay.agent("leaves")) {
                leaves.sendAndWait(List.of(WireAgent.alert("leaves", 5, now, "/x", 3, 1)));
                JsonNode both = Http.JSON.readTree(b.get("/api/fleet").body()).get("agents");
                assertThat(both).anyMatch(a -> a.get("container").asText().equals("leaves")
                        && a.get("state").asText().equals("connected") && a.get("events").asInt() == 1
                        && a.get("family").asText().equals("family-leaves"));
            }
            TestWait.until("the agent to be gone", () -> fleet(b).stream().anyMatch(a -> a.get("container").asText()
                    .equals("leaves") && a.get("state").asText().equals("gone")));
            JsonNode stays2 = fleet(b).stream().filter(a -> a.get("container").asText().equals("stays")).findFirst()
                    .orElseThrow();
            assertThat(stays2.get("state").asText()).isEqualTo("connected");
            assertThat(stays2.get("task").asText()).endsWith("/stays");
            assertThat(stays2.get("version").asText()).isEqualTo("test");
        }
    }

    private static List<JsonNode> fleet(ConsoleRelay.Browser b) {
        try {
            List<JsonNode> out = new ArrayList<>();
            Http.JSON.readTree(b.get("/api/fleet").body()).get("agents").forEach(out::add);
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
