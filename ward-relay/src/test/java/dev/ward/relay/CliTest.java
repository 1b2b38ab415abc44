package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ward policy add|list|get|delete, ward agents, ward logs and the metrics endpoint against a relay on loopback. */
class CliTest {
    @TempDir
    Path dir;
    NettyRelay relay;
    Map<String, String> admin;
    Map<String, String> nobody = Map.of();

    @BeforeEach
    void start() throws Exception {
        relay = new NettyRelay(dir.resolve("relay.db"), 0,
                RelayServer.Settings.of(TestRelay.AGENT_TOKEN, TestRelay.ADMIN_TOKEN, null));
        admin = Map.of("WARD_RELAY", relay.address(), "WARD_RELAY_ADMIN_TOKEN", TestRelay.ADMIN_TOKEN);
        nobody = Map.of("WARD_RELAY", relay.address());
    }

    private final java.util.List<io.grpc.ManagedChannel> channels = new java.util.ArrayList<>();

    @AfterEach
    void stop() {
        channels.forEach(io.grpc.ManagedChannel::shutdownNow);
        relay.close();
    }

    private TestRelay.FakeAgent agent(String container) throws Exception {
        return agent(container, "arn:aws:ecs:eu-west-1:1:task/c/" + container, "policy");
    }

    private TestRelay.FakeAgent agent(String container, String arn, String logFilter) throws Exception {
        var channel = io.grpc.Grpc.newChannelBuilder(relay.address(), io.grpc.InsecureChannelCredentials.create())
                .build();
        channels.add(channel);
        return new TestRelay.FakeAgent(channel, TestRelay.AGENT_TOKEN, dev.ward.relay.api.Hello.newBuilder()
                .setAgentId("agent-" + container).setContainerName(container).setTaskFamily("shop")
                .setTaskArn(arn).setVersion("0.1.0").setLogFilter(logFilter).build());
    }

    @Test
    void policiesAreAddedListedReadAndDeletedWithTheAgentCount() throws Exception {
        var web = agent("web");
        web.nextBundle();
        Path file = Files.writeString(dir.resolve("p.yaml"), TestRelay.policy("block-shadow", "web", "/etc/shadow")
                + "---\n" + TestRelay.policy("block-db", "db", "/etc/shadow"));

        var add = NettyRelay.run(new PolicyAddCommand(), admin, file.toString());
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).contains("block-shadow: Applied (version 1, sent to 1 agent)")
                .contains("block-db: Applied (version 2, sent to 0 agents)");
        assertThat(web.nextBundle().getPolicies(0).getName()).isEqualTo("block-shadow");

        var list = NettyRelay.run(new PolicyListCommand(), nobody);
        assertThat(list.exit()).isZero();
        assertThat(list.out()).containsPattern("block-shadow\\s+1\\s+\\S+\\s+1").contains("2 policies, store version 2");

        var get = NettyRelay.run(new PolicyGetCommand(), nobody, "block-db");
        assertThat(get.out()).contains("name: block-db").contains("kubearmor.io/container.name: db");

        var missing = NettyRelay.run(new PolicyGetCommand(), nobody, "nope");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("NOT_FOUND").contains("ward policy list");

        var delete = NettyRelay.run(new PolicyDeleteCommand(), admin, "block-shadow");
        assertThat(delete.out()).contains("block-shadow: Deleted (version 3, removed from 1 agent)");
        assertThat(web.nextBundle().getPoliciesCount()).isZero();
        var again = NettyRelay.run(new PolicyDeleteCommand(), admin, "block-shadow");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("NotExist");
    }

    @Test
    void anInvalidFileIsReportedWithItsPositionAndNothingApplied() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), TestRelay.policy("bad", "web", "relative")
                .replace("action: Block", "action: block"));
        var add = NettyRelay.run(new PolicyAddCommand(), admin, file.toString());
        assertThat(add.exit()).isEqualTo(1);
        assertThat(add.err()).contains(file + ":").contains("Invalid; nothing from this file was applied");
        assertThat(add.err().indexOf(file + ":11:")).as("in reading order:\n" + add.err()).isNotNegative()
                .isLessThan(add.err().indexOf(file + ":12:"));
        assertThat(relay.store.policies()).isEmpty();
    }

    @Test
    void withoutTheAdminTokenTheCommandSaysWhichVariableToSet() throws Exception {
        Path file = Files.writeString(dir.resolve("p.yaml"), TestRelay.policy("x", "web", "/a"));
        var add = NettyRelay.run(new PolicyAddCommand(), nobody, file.toString());
        assertThat(add.exit()).isEqualTo(1);
        assertThat(add.err()).contains("UNAUTHENTICATED").contains("WARD_RELAY_ADMIN_TOKEN");
    }

    @Test
    void anUnreachableRelayIsOneActionableLine() {
        var list = NettyRelay.run(new PolicyListCommand(), Map.of(), "--relay", "127.0.0.1:1");
        assertThat(list.exit()).isEqualTo(1);
        assertThat(list.err()).startsWith("ward list: cannot reach the relay at 127.0.0.1:1").contains("--relay");
    }

    @Test
    void agentsListsContainerTaskAndVersion() throws Exception {
        var web = agent("web");
        web.nextBundle();
        web.send(1, TestRelay.alert("web", "/x", System.currentTimeMillis() * 1_000_000L));
        web.nextAck();
        var agents = NettyRelay.run(new AgentsCommand(), nobody);
        assertThat(agents.exit()).isZero();
        assertThat(agents.out()).contains("web").contains("shop").contains("arn:aws:ecs:eu-west-1:1:task/c/web")
                .contains("0.1.0").contains("v0 (0 policies)").contains("1 agent connected");
    }

    @Test
    void agentsColumnsLineUpWhateverTheWidthOfTheirCells() throws Exception {
        agent("a-container-name-longer-than-twenty-four", "arn:aws:ecs:eu-west-1:123456789012:task/"
                + "a-cluster-with-a-long-name/0123456789abcdef0123456789abcdef", "all").nextBundle();
        agent("web", "", "policy").nextBundle();
        var agents = NettyRelay.run(new AgentsCommand(), nobody);
        List<String> lines = agents.out().lines().toList();
        assertThat(lines).hasSize(4);
        String header = lines.get(0);
        for (String column : List.of("FAMILY", "TASK", "VERSION", "RELAY", "CONNECTED", "EVENTS", "LOGS", "POLICY SET")) {
            int at = header.indexOf(column);
            for (String row : lines.subList(1, 3)) {
                assertThat(row.charAt(at - 1)).as(column + " in\n" + agents.out()).isEqualTo(' ');
                assertThat(row.charAt(at)).as(column + " in\n" + agents.out()).isNotEqualTo(' ');
            }
        }
        assertThat(lines.get(1)).contains(" yes ");
        assertThat(lines.get(2)).contains(" no ");
    }

    @Test
    void logsSaysWhenNoConnectedAgentSendsLogs() throws Exception {
        var web = agent("web");
        web.nextBundle();
        AtomicReference<NettyRelay.Run> run = new AtomicReference<>();
        Thread watcher = Thread.ofPlatform().start(() -> run.set(NettyRelay.run(new LogsCommand(), nobody,
                "--log-filter", "all", "--limit", "1")));
        TestRelay.await("the watcher", () -> relay.server.watcherCount() == 1);
        web.send(1, TestRelay.alert("web", "/x", System.currentTimeMillis() * 1_000_000L));
        watcher.join(30_000);
        assertThat(run.get().err()).contains("ward logs: none of the 1 connected agents sends logs")
                .contains("WARD_LOG_FILTER=all");
        assertThat(run.get().out()).contains("ALERT web File - /x");

        var db = agent("db", "", "all");
        db.nextBundle();
        Thread second = Thread.ofPlatform().start(() -> run.set(NettyRelay.run(new LogsCommand(), nobody,
                "--log-filter", "all", "--limit", "1")));
        TestRelay.await("the watcher", () -> relay.server.watcherCount() == 1);
        db.send(1, TestRelay.log("db", "/bin/ls", System.currentTimeMillis() * 1_000_000L));
        second.join(30_000);
        assertThat(run.get().err()).isEmpty();
        assertThat(run.get().out()).contains("log   db Process - /bin/ls");
    }

    @Test
    void noFollowWithoutSinceStopsAfterWhatIsStoredAndKeepsTidAndCwd() throws Exception {
        var web = agent("web");
        web.nextBundle();
        long old = (System.currentTimeMillis() - 3_600_000L) * 1_000_000L;
        web.send(1, TestRelay.alert("web", "/etc/shadow", old).toBuilder().setTid(4242).setCwd("/srv").build());
        web.nextAck();
        AtomicReference<NettyRelay.Run> run = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> run.set(NettyRelay.run(new LogsCommand(), nobody,
                "--no-follow", "-o", "json")));
        t.join(30_000);
        assertThat(t.isAlive()).as("ward logs --no-follow still running").isFalse();
        assertThat(run.get().exit()).as(run.get().err()).isZero();
        JsonNode alert = new ObjectMapper().readTree(run.get().out().strip());
        assertThat(alert.get("Resource").asText()).isEqualTo("/etc/shadow");
        assertThat(alert.get("TID").asInt()).isEqualTo(4242);
        assertThat(alert.get("Cwd").asText()).isEqualTo("/srv");
    }

    @Test
    void logsPrintsFalcosAlertShapeWithDashOFalco() throws Exception {
        var web = agent("web");
        web.nextBundle();
        long at = (System.currentTimeMillis() - 60_000L) * 1_000_000L;
        web.send(1, TestRelay.alert("web", "/etc/shadow", at).toBuilder().setAlert(TestRelay.alert("web",
                "/etc/shadow", at).getAlert().toBuilder().setSeverity("9").setPolicyName("ward-credential-files")
                .setProcessName("/usr/bin/head").addATags("MITRE")).build());
        web.nextAck();
        AtomicReference<NettyRelay.Run> run = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> run.set(NettyRelay.run(new LogsCommand(), nobody,
                "--no-follow", "-o", "falco")));
        t.join(30_000);
        assertThat(run.get().exit()).as(run.get().err()).isZero();
        JsonNode falco = new ObjectMapper().readTree(run.get().out().strip());
        assertThat(falco.get("rule").asText()).isEqualTo("ward-credential-files");
        assertThat(falco.get("priority").asText()).isEqualTo("Critical");
        assertThat(falco.get("source").asText()).isEqualTo("syscall");
        assertThat(falco.get("tags").get(0).asText()).isEqualTo("MITRE");
        assertThat(falco.at("/output_fields/proc.name").asText()).isEqualTo("head");
        assertThat(falco.at("/output_fields/fd.name").asText()).isEqualTo("/etc/shadow");
        assertThat(falco.at("/output_fields/evt.time").asLong()).isEqualTo(at);
    }

    @Test
    void logsPrintsTheHistoryAsTheAgentsJsonAndFilters() throws Exception {
        var web = agent("web");
        web.nextBundle();
        long now = System.currentTimeMillis() * 1_000_000L;
        web.send(1, TestRelay.alert("web", "/etc/shadow", now - 2_000_000_000L),
                TestRelay.log("web", "/bin/ls", now - 1_000_000_000L), TestRelay.alert("db", "/etc/passwd", now));
        web.nextAck();
        var json = NettyRelay.run(new LogsCommand(), nobody, "--since", "1m", "--no-follow", "-o", "json",
                "--log-filter", "policy", "--container", "web");
        assertThat(json.exit()).as(json.err()).isZero();
        String[] lines = json.out().strip().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode alert = new ObjectMapper().readTree(lines[0]);
        assertThat(alert.get("Resource").asText()).isEqualTo("/etc/shadow");
        assertThat(alert.get("Type").asText()).isEqualTo("MatchedPolicy");
        assertThat(alert.get("PolicyName").asText()).isEqualTo("p");
        assertThat(alert.get("UpdatedTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        // Every line one object, nothing before it (Jackson's root-value separator once put a space there).
        var both = NettyRelay.run(new LogsCommand(), nobody, "--since", "1m", "--no-follow", "-o", "json",
                "--log-filter", "all", "--container", "web");
        assertThat(both.out().split("\n")).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{\"Timestamp\":"));

        var all = NettyRelay.run(new LogsCommand(), nobody, "--since", "1m", "--no-follow", "--log-filter", "all");
        assertThat(all.out().strip().split("\n")).hasSize(3);
        assertThat(all.out()).contains("ALERT web File").contains("log   web Process");

        var limited = NettyRelay.run(new LogsCommand(), nobody, "--since", "1m", "--log-filter", "all",
                "--limit", "2", "-o", "pretty-json");
        assertThat(limited.exit()).isZero();
        assertThat(limited.out()).contains("\"Resource\" : \"/bin/ls\"").doesNotContain("/etc/passwd");
    }

    /** An alert of pod {@code pod} in {@code namespace}, ECS task {@code arn}, image {@code image}. */
    private static dev.ward.relay.api.Event workload(dev.ward.relay.api.Event e, String namespace, String pod,
            String arn, String image) {
        return e.toBuilder().setAlert(e.getAlert().toBuilder().setNamespaceName(namespace).setPodName(pod)
                .setLabels("ecs.cluster=prod,ecs.task-arn=" + arn + ",kubearmor.io/container.name=web")
                .setContainerImage(image)).build();
    }

    private java.util.List<String> resources(String... filter) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(List.of("--since", "1m", "--no-follow", "-o", "json"));
        args.addAll(List.of(filter));
        var r = NettyRelay.run(new LogsCommand(), nobody, args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String line : r.out().strip().split("\n")) {
            if (!line.isBlank()) {
                out.add(new ObjectMapper().readTree(line).get("Resource").asText());
            }
        }
        return out;
    }

    @Test
    void logsFiltersByNamespacePodTaskAndImageInTheHistoryAndLive() throws Exception {
        var web = agent("web");
        web.nextBundle();
        long now = System.currentTimeMillis() * 1_000_000L;
        String shopTask = "arn:aws:ecs:eu-west-1:111122223333:task/prod/0f3a5c";
        String webTask = "arn:aws:ecs:eu-west-1:111122223333:task/prod/77b2e1";
        web.send(1, workload(TestRelay.alert("web", "/a", now - 3_000_000_000L), "payments", "shop-1", shopTask,
                        "docker.io/x/shop:1@sha256:aa"),
                workload(TestRelay.alert("web", "/b", now - 2_000_000_000L), "default", "web-2", webTask,
                        "nginx:1.27@sha256:bb"));
        web.nextAck();
        assertThat(resources("--namespace", "payments")).containsExactly("/a");
        assertThat(resources("--pod", "web-2")).containsExactly("/b");
        assertThat(resources("--task", "0f3a5c")).containsExactly("/a");
        assertThat(resources("--task", webTask)).containsExactly("/b");
        assertThat(resources("--task", "arn:aws:ecs:eu-west-1:111122223333:task/other/0f3a5c")).isEmpty();
        assertThat(resources("--image", "docker.io/x/shop")).containsExactly("/a");
        assertThat(resources("--image", "nginx:1.27")).containsExactly("/b");
        assertThat(resources("--image", "nginx:1.27@sha256:bb")).containsExactly("/b");
        assertThat(resources("--image", "ngin")).isEmpty();
        assertThat(resources("--namespace", "payments", "--pod", "web-2")).isEmpty();

        AtomicReference<NettyRelay.Run> run = new AtomicReference<>();
        Thread live = Thread.ofPlatform().start(() -> run.set(NettyRelay.run(new LogsCommand(), nobody,
                "--namespace", "default", "--pod", "web-2", "--limit", "1", "-o", "json")));
        TestRelay.await("the watcher", () -> relay.server.watcherCount() == 1);
        long later = System.currentTimeMillis() * 1_000_000L;
        web.send(2, workload(TestRelay.alert("web", "/c", later), "payments", "shop-1", shopTask, "shop:1"),
                workload(TestRelay.alert("web", "/d", later + 1), "default", "web-2", webTask, "nginx:1.27"));
        live.join(30_000);
        assertThat(live.isAlive()).isFalse();
        assertThat(new ObjectMapper().readTree(run.get().out().strip()).get("Resource").asText()).isEqualTo("/d");
        JsonNode d = new ObjectMapper().readTree(run.get().out().strip());
        assertThat(d.get("NamespaceName").asText()).isEqualTo("default");
        assertThat(d.get("PodName").asText()).isEqualTo("web-2");
        assertThat(d.get("ContainerImage").asText()).isEqualTo("nginx:1.27");
    }

    @Test
    void metricsCountEventsAgentsAndPolicyVersions() throws Exception {
        try (HTTPServer http = HTTPServer.builder().hostname("127.0.0.1").port(0)
                .registry(relay.server.metricsRegistry()).buildAndStart()) {
            var web = agent("web");
            web.nextBundle();
            web.send(1, TestRelay.alert("web", "/x", 1), TestRelay.alert("web", "/y", 2));
            web.nextAck();
            Path file = Files.writeString(dir.resolve("p.yaml"), TestRelay.policy("m", "web", "/a"));
            NettyRelay.run(new PolicyAddCommand(), admin, file.toString());
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http.getPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).contains("ward_relay_events_received_total 2.0").contains("ward_relay_agents_connected 1.0")
                    .contains("ward_relay_policy_version 1.0").contains("ward_relay_policy_changes_total 1.0");
        }
    }
}
