package dev.ward.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.local.LocalOptions;
import dev.ward.local.LocalTask;
import dev.ward.local.LogSink;
import dev.ward.local.TaskDefinitionReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Lacework seed's four ways of putting an agent into a Fargate task (root or non-root container, agent in a
 * sidecar image or embedded in the application image), done by Ward with nginx: the page is served, nginx runs
 * traced by the agent (PID 1 of the container), SIGTERM stops the task cleanly with exit code 0, and no zombie
 * is left behind.
 */
@Timeout(900)
@Tag("container")
class LaceworkPatternsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"sidecar, root", "sidecar, nonroot", "embedded, root", "embedded, nonroot"})
    void nginxIsServedSupervisedAndStopsCleanly(String mode, String user) throws Exception {
        NginxImage.build();
        // As on ECS, the task names the image in a registry (a real one on this machine), where inject reads it.
        String local = user.equals("root") ? NginxImage.ROOT : NginxImage.NONROOT;
        String app = Embedded.pushed(local);
        ObjectNode task = JSON.createObjectNode();
        task.put("family", "nginx-" + mode + "-" + user);
        task.put("networkMode", "awsvpc");
        task.putArray("requiresCompatibilities").add("FARGATE");
        task.put("cpu", "256");
        task.put("memory", "512");
        ObjectNode c = task.putArray("containerDefinitions").addObject();
        c.put("name", "nginx");
        c.put("essential", true);
        c.putArray("portMappings").addObject().put("containerPort", 8080).put("protocol", "tcp");
        c.put("stopTimeout", 10);
        if (user.equals("nonroot")) {
            c.put("user", "33");
        }
        Path plain = dir.resolve("task.json");
        Path protectedTask = dir.resolve("protected.json");
        if (mode.equals("sidecar")) {
            c.put("image", app);
            JSON.writerWithDefaultPrettyPrinter().writeValue(plain.toFile(), task);
            WardCli.ok(Map.of(), "inject", plain.toString(), "--agent-image", AgentImage.ref(), "-o",
                    protectedTask.toString());
        } else {
            String embedded = Embedded.image(local);
            c.put("image", app);
            JSON.writerWithDefaultPrettyPrinter().writeValue(plain.toFile(), task);
            WardCli.ok(Map.of(), "inject", plain.toString(), "--mode", "embedded", "--embedded-image",
                    "nginx=" + embedded, "-o", protectedTask.toString());
        }
        ConcurrentLinkedQueue<String> out = new ConcurrentLinkedQueue<>();
        LocalOptions options = LocalOptions.builder().randomHostPorts(true).pull("never")
                .maxStopTimeout(Duration.ofSeconds(10)).logs(new LogSink() {
                    @Override
                    public void line(String container, boolean stderr, String text) {
                        out.add(container + " | " + text);
                    }

                    @Override
                    public void event(String text) {
                        out.add("ward | " + text);
                    }
                }).build();
        LocalTask t = LocalTask.start(TaskDefinitionReader.read(protectedTask), options);
        try {
            t.awaitRunning("nginx", Duration.ofSeconds(180));
            int port = t.hostPort(8080);
            HttpResponse<String> page = get(port);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("protected by ward");

            // PID 1 is the agent; every nginx process is traced by it (TracerPid is the tracer thread, one of PID 1's).
            String pid1 = t.exec("nginx", "cat", "/proc/1/cmdline").out().replace('\0', ' ');
            assertThat(pid1).startsWith("/ward/bin/java").contains(" run ");
            String traced = t.exec("nginx", "bash", "-c", "for s in /proc/[0-9]*/status; do "
                    + "n=$(grep -m1 '^Name:' $s | cut -f2); t=$(grep -m1 '^TracerPid:' $s | cut -f2); "
                    + "u=$(grep -m1 '^Uid:' $s | cut -f2); echo \"$n $t $u\"; done").out();
            String tracerThreads = t.exec("nginx", "ls", "/proc/1/task").out();
            assertThat(traced.lines().filter(l -> l.startsWith("nginx "))).isNotEmpty()
                    .allSatisfy(l -> assertThat(tracerThreads.lines()).contains(l.split(" ")[1]));
            if (user.equals("nonroot")) {
                assertThat(traced.lines().filter(l -> l.startsWith("java ") || l.startsWith("nginx ")))
                        .allSatisfy(l -> assertThat(l.split(" ")[2]).isEqualTo("33"));
            }
            String zombies = t.exec("nginx", "bash", "-c", "grep -l '^State:.*Z' /proc/[0-9]*/status || true").out();
            assertThat(zombies).isBlank();

            // ECS's stop: SIGTERM to each container, the task ends with the workload's code.
            t.stop();
            assertThat(t.exitCode()).as(String.join("\n", out)).isZero();
        } finally {
            t.close();
        }
    }

    private static HttpResponse<String> get(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(500);
            }
        }
    }
}
