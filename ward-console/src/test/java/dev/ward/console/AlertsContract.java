package dev.ward.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.relay.api.Event;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The alert pages' API on a store (SQLite, PostgreSQL): 10,000 alerts sent by an agent over gRPC, then pages,
 * filters and the per-minute histogram checked against what was sent; one alert's process tree; the live stream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AlertsContract {
    static final int ALERTS = 10_000;
    static final long SPREAD_NANOS = 50L * 60 * 1_000_000_000L;

    ConsoleRelay relay;
    ConsoleRelay.Browser browser;
    /** Per minute (epoch millis) and severity, what was sent. */
    final Map<Long, Map<String, Long>> sent = new HashMap<>();

    abstract ConsoleRelay start() throws Exception;

    @org.junit.jupiter.api.BeforeAll
    void fill() throws Exception {
        relay = start();
        browser = relay.browser();
        assertThat(browser.login(ConsoleRelay.READ_TOKEN).statusCode()).isEqualTo(200);
        long base = System.currentTimeMillis() * 1_000_000L - SPREAD_NANOS;
        try (WireAgent agent = relay.agent("bulk")) {
            List<Event> batch = new ArrayList<>();
            for (int i = 0; i < ALERTS; i++) {
                long ts = base + i * (SPREAD_NANOS / ALERTS);
                int severity = 1 + i % 10;
                batch.add(WireAgent.alert("bulk", severity, ts, "/secret/" + i, 100 + i, 1));
                sent.computeIfAbsent(ts / 60_000_000_000L * 60_000, k -> new HashMap<>())
                        .merge(Integer.toString(severity), 1L, Long::sum);
                if (batch.size() == 500) {
                    agent.sendAndWait(batch);
                    batch.clear();
                }
            }
        }
    }

    @AfterAll
    void stop() throws Exception {
        relay.close();
        afterRelay();
    }

    /** Runs once the relay is closed (the store's server may stop then). */
    void afterRelay() throws Exception {
    }

    @Test
    void theFirstPagesAreTheNewestAlertsAndLoadFast() throws Exception {
        browser.get("/api/alerts"); // warm
        long t0 = System.nanoTime();
        HttpResponse<String> r = browser.get("/api/alerts?limit=100&container=bulk");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(millis).as("first page time").isLessThan(1000);
        JsonNode page = Http.JSON.readTree(r.body());
        assertThat(page.get("alerts")).hasSize(100);
        JsonNode first = page.get("alerts").get(0);
        assertThat(first.get("Resource").asText()).isEqualTo("/secret/" + (ALERTS - 1));
        for (String field : List.of("Timestamp", "UpdatedTime", "ContainerName", "PID", "PPID", "ProcessName",
                "ParentProcessName", "PolicyName", "Severity", "Operation", "Resource", "Action", "Result", "id")) {
            assertThat(first.has(field)).as(field).isTrue();
        }
        JsonNode next = Http.JSON.readTree(browser.get("/api/alerts?limit=100&container=bulk&before="
                + page.get("next").asText()).body());
        assertThat(next.get("alerts").get(0).get("Resource").asText()).isEqualTo("/secret/" + (ALERTS - 101));

        JsonNode severe = Http.JSON.readTree(browser.get("/api/alerts?limit=1000&container=bulk&severity=10").body());
        assertThat(severe.get("alerts")).hasSize(ALERTS / 10);
        assertThat(severe.get("alerts")).allMatch(a -> a.get("Severity").asText().equals("10"));
        assertThat(severe.get("next").isNull()).isTrue();
        JsonNode text = Http.JSON.readTree(browser.get("/api/alerts?q=SECRET/1234&action=Block").body());
        assertThat(text.get("alerts")).hasSize(1);
        assertThat(Http.JSON.readTree(browser.get("/api/alerts?action=Audit&container=bulk").body()).get("alerts"))
                .isEmpty();
        assertThat(browser.get("/api/alerts?before=nonsense").statusCode()).isEqualTo(400);
    }

    @Test
    void theHistogramCountsEveryMinuteBySeverity() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = browser.get("/api/alerts/histogram?minutes=60&container=bulk");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(millis).as("histogram time").isLessThan(1000);
        JsonNode h = Http.JSON.readTree(r.body());
        assertThat(h.get("bucketMillis").asLong()).isEqualTo(60_000);
        assertThat(h.get("buckets")).hasSize(60);
        assertThat(h.get("severities")).extracting(JsonNode::asInt).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        long total = 0;
        Map<Long, Map<String, Long>> got = new HashMap<>();
        for (JsonNode b : h.get("buckets")) {
            Map<String, Long> counts = new HashMap<>();
            b.get("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
            total += counts.values().stream().mapToLong(Long::longValue).sum();
            if (!counts.isEmpty()) {
                got.put(b.get("t").asLong(), counts);
            }
        }
        assertThat(total).isEqualTo(ALERTS);
        assertThat(got).isEqualTo(sent);
    }

    @Test
    void oneAlertComesWithItsProcessTree() throws Exception {
        long now = System.currentTimeMillis() * 1_000_000L;
        try (WireAgent agent = relay.agent("tree")) {
            agent.sendAndWait(List.of(
                    WireAgent.exec("tree", now - 3_000_000, 7, 0, "/usr/bin/python3", "", "/usr/bin/python3 app.py"),
                    WireAgent.exec("tree", now - 2_000_000, 20, 7, "/bin/sh", "/usr/bin/python3", "/bin/sh -c cat /s"),
                    WireAgent.exec("tree", now - 1_000_000, 21, 20, "/bin/cat", "/bin/sh", "/bin/cat /s"),
                    WireAgent.alert("tree", 7, now, "/s", 21, 20)));
        }
        JsonNode page = Http.JSON.readTree(browser.get("/api/alerts?container=tree").body());
        String id = page.get("alerts").get(0).get("id").asText();
        JsonNode one = Http.JSON.readTree(browser.get("/api/alerts/" + id).body());
        assertThat(one.get("alert").get("Resource").asText()).isEqualTo("/s");
        JsonNode tree = one.get("tree");
        assertThat(tree).extracting(n -> n.get("pid").asInt()).containsExactly(7, 20, 21);
        assertThat(tree.get(0).get("process").asText()).isEqualTo("/usr/bin/python3");
        assertThat(tree.get(1).get("args").asText()).isEqualTo("/bin/sh -c cat /s");
        assertThat(browser.get("/api/alerts/1-2").statusCode()).isEqualTo(404);
    }

    @Test
    void theStreamDeliversAnAlertIngestedAfterConnecting() throws Exception {
        HttpResponse<InputStream> r = browser.http.send(browser.request("/api/alerts/stream?container=live")
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                // closed by the test
            }
        });
        assertThat(lines.poll(10, TimeUnit.SECONDS)).startsWith(":"); // the stream is live from here on
        long now = System.currentTimeMillis() * 1_000_000L;
        try (WireAgent other = relay.agent("elsewhere"); WireAgent agent = relay.agent("live")) {
            other.sendAndWait(List.of(WireAgent.alert("elsewhere", 3, now, "/not-this", 5, 1)));
            agent.sendAndWait(List.of(WireAgent.alert("live", 8, now + 1, "/live/secret", 5, 1)));
        }
        String line;
        do {
            line = lines.poll(30, TimeUnit.SECONDS);
            assertThat(line).as("an event within 30 s").isNotNull();
        } while (!line.equals("event: alert"));
        String id = lines.poll(5, TimeUnit.SECONDS);
        String data = lines.poll(5, TimeUnit.SECONDS);
        assertThat(id).startsWith("id: ");
        JsonNode alert = Http.JSON.readTree(data.substring("data: ".length()));
        assertThat(alert.get("Resource").asText()).isEqualTo("/live/secret");
        assertThat(alert.get("id").asText()).isEqualTo(id.substring(4));
        HttpResponse<String> stored = browser.get("/api/alerts/" + alert.get("id").asText());
        assertThat(stored.statusCode()).as("the live id names the stored alert").isEqualTo(200);
        r.body().close();
        reader.interrupt();
    }
}
