package dev.ward.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.local.ContainerStatus.State;
import dev.ward.local.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real tasks in real podman pods: ports, dependsOn, essential containers, volumes, pid namespace. */
@Timeout(120)
@Tag("container")
class LocalTaskScenariosTest {
    static String busybox;

    @TempDir
    Path dir;

    @BeforeAll
    static void images() {
        busybox = TestImages.busybox();
    }

    private static LocalOptions.Builder options(LogSink logs) {
        return LocalOptions.builder().logs(logs).randomHostPorts(true).maxStopTimeout(Duration.ofSeconds(1));
    }

    private static boolean podExists(String pod) {
        return TestImages.podman().run(List.of("pod", "exists", pod)).ok();
    }

    @Test
    void portMappingsArePublishedOnLoopbackAndHostPathsAreBindMounted() throws Exception {
        Files.writeString(dir.resolve("index.html"), "served from the host\n");
        ObjectNode web = Tasks.container("web", busybox, "httpd", "-f", "-v", "-p", "8080", "-h", "/www");
        web.putArray("portMappings").addObject().put("containerPort", 8080).put("protocol", "tcp");
        web.putArray("mountPoints").addObject().put("sourceVolume", "site").put("containerPath", "/www").put("readOnly", true);
        ObjectNode task = Tasks.task("ports", web);
        task.putArray("volumes").addObject().put("name", "site").putObject("host").put("sourcePath", dir.toString());
        Tasks.Collected logs = new Tasks.Collected();
        try (LocalTask t = LocalTask.start(Tasks.parse(task), options(logs).build())) {
            t.awaitRunning("web", Duration.ofSeconds(30));
            int port = t.hostPort(8080);
            String ports = t.podman().check("port", "pod", "inspect", "--format", "{{json .InfraConfig.PortBindings}}", t.podName());
            assertThat(ports).contains("\"HostIp\":\"127.0.0.1\"").doesNotContain("0.0.0.0");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> r = null;
            for (int i = 0; i < 50 && r == null; i++) {
                try {
                    r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html")).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException e) {
                    Thread.sleep(100);
                }
            }
            assertThat(r).isNotNull();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("served from the host\n");
            // read-only mount point
            assertThat(t.exec("web", "touch", "/www/x").ok()).isFalse();
        }
    }

    @Test
    void dependsOnConditionsOrderTheStarts() throws Exception {
        // Every container writes the host's uptime (10 ms resolution) into a task volume; app lists them when it starts.
        // init runs long enough that side (START on init) is up before it ends, even when starting a container
        // takes seconds on a loaded machine.
        ObjectNode init = Tasks.shell("init", busybox, "sleep 5; cut -d' ' -f1 /proc/uptime > /shared/init; echo init done");
        init.put("essential", false);
        ObjectNode helper = Tasks.shell("helper", busybox, "sleep 1; cut -d' ' -f1 /proc/uptime > /shared/helper; exit 3");
        helper.put("essential", false);
        ObjectNode db = Tasks.shell("db", busybox, "sleep 2; cut -d' ' -f1 /proc/uptime > /shared/db; exec sleep 1000");
        db.putObject("healthCheck").put("interval", 5).put("retries", 1).putArray("command")
                .add("CMD-SHELL").add("test -f /shared/db");
        ObjectNode app = Tasks.shell("app", busybox, "cut -d' ' -f1 /proc/uptime > /shared/app; exec sleep 1000");
        Tasks.dependsOn(app, "init", "SUCCESS");
        Tasks.dependsOn(app, "helper", "COMPLETE");
        Tasks.dependsOn(app, "db", "HEALTHY");
        ObjectNode side = Tasks.shell("side", busybox, "cut -d' ' -f1 /proc/uptime > /shared/side; exec sleep 1000");
        Tasks.dependsOn(side, "init", "START");
        for (ObjectNode c : List.of(init, helper, db, app, side)) {
            c.putArray("mountPoints").addObject().put("sourceVolume", "shared").put("containerPath", "/shared");
        }
        ObjectNode task = Tasks.task("depends", app, init, helper, db, side);
        task.putArray("volumes").addObject().put("name", "shared");
        Tasks.Collected logs = new Tasks.Collected();
        try (LocalTask t = LocalTask.start(Tasks.parse(task), options(logs).build())) {
            t.awaitRunning("side", Duration.ofSeconds(30));
            assertThat(t.status("app").state()).isEqualTo(State.PENDING); // init has not finished yet
            t.awaitHealthy("db", Duration.ofSeconds(40));
            t.awaitRunning("app", Duration.ofSeconds(30));
            assertThat(t.status("helper").exitCode()).isEqualTo(3);
            assertThat(t.status("init").exitCode()).isZero();
            Podman.Result r = t.exec("app", "cat", "/shared/init", "/shared/helper", "/shared/db", "/shared/app");
            assertThat(r.ok()).as(r.err()).isTrue();
            double[] ts = r.out().lines().mapToDouble(Double::parseDouble).toArray();
            assertThat(ts[3]).as("app starts after init succeeded, helper completed and db wrote its file")
                    .isGreaterThan(ts[0]).isGreaterThan(ts[1]).isGreaterThan(ts[2]);
            assertThat(t.status("app").startedAt()).isAfter(t.status("db").startedAt());
            String sideTs = t.exec("side", "cat", "/shared/side").out().strip();
            assertThat(Double.parseDouble(sideTs)).as("START only waits for init to start").isLessThan(ts[0]);
        }
        assertThat(logs.text()).contains("init | init done", "ward | db is healthy");
    }

    @Test
    void aFailedSuccessDependencyStopsTheTask() {
        ObjectNode init = Tasks.shell("migrate", busybox, "echo migration failed >&2; exit 4");
        init.put("essential", false);
        ObjectNode app = Tasks.dependsOn(Tasks.shell("app", busybox, "exec sleep 1000"), "migrate", "SUCCESS");
        Tasks.Collected logs = new Tasks.Collected();
        LocalTask t = LocalTask.start(Tasks.parse(Tasks.task("failing", app, init)), options(logs).build());
        int code = t.awaitStopped(Duration.ofSeconds(60));
        assertThat(code).isEqualTo(1);
        assertThat(t.failure()).contains("container app cannot start: it depends on migrate (SUCCESS), which exited with code 4");
        assertThat(t.status("app").state()).isEqualTo(State.NEVER_STARTED);
        assertThat(logs.text()).contains("migrate ! migration failed");
        assertThat(podExists(t.podName())).isFalse();
    }

    @Test
    void anEssentialContainerExitStopsTheTaskWithItsExitCode() {
        ObjectNode main = Tasks.shell("main", busybox, "sleep 1; echo bye; exit 7");
        ObjectNode side = Tasks.container("side", busybox, "sleep", "1000");
        side.put("essential", false);
        side.putObject("linuxParameters").put("initProcessEnabled", true); // catatonit passes SIGTERM to sleep
        side.put("stopTimeout", 10);
        Tasks.Collected logs = new Tasks.Collected();
        LocalTask t = LocalTask.start(Tasks.parse(Tasks.task("essential", main, side)),
                LocalOptions.builder().logs(logs).build());
        long start = System.nanoTime();
        int code = t.awaitStopped(Duration.ofSeconds(60));
        assertThat(code).isEqualTo(7);
        assertThat(t.stopReason()).isEqualTo("essential container main exited with code 7");
        assertThat(t.status("side").exitCode()).as("SIGTERM, not SIGKILL after the timeout").isEqualTo(143);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(podExists(t.podName())).isFalse();
        assertThat(logs.text()).contains("main | bye");
    }

    @Test
    void volumesFromShareImageVolumesAndHonourReadOnly() throws Exception {
        // An image that declares VOLUME /data, like the agent image declares /ward.
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("data"));
        Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
        Files.writeString(root.resolve("data/marker"), "from the image\n");
        String ref = "localhost/ward-test-volume:" + Long.toHexString(System.nanoTime());
        TestImages.importRoot(root, ref, List.of("VOLUME /data", "CMD [\"/bin/sh\"]"));
        try {
            ObjectNode src = Tasks.container("src", ref, "/bin/sh", "-c", "exit 0");
            src.put("essential", false);
            ObjectNode reader = Tasks.container("reader", busybox, "sleep", "1000");
            reader.putArray("volumesFrom").addObject().put("sourceContainer", "src").put("readOnly", true);
            Tasks.dependsOn(reader, "src", "SUCCESS");
            ObjectNode writer = Tasks.container("writer", busybox, "sleep", "1000");
            writer.putArray("volumesFrom").addObject().put("sourceContainer", "src");
            writer.put("essential", false);
            Tasks.dependsOn(writer, "src", "SUCCESS");
            try (LocalTask t = LocalTask.start(Tasks.parse(Tasks.task("volumes", reader, src, writer)),
                    options(new Tasks.Collected()).build())) {
                t.awaitRunning("reader", Duration.ofSeconds(30));
                t.awaitRunning("writer", Duration.ofSeconds(30));
                assertThat(t.exec("reader", "cat", "/data/marker").out()).isEqualTo("from the image\n");
                Podman.Result denied = t.exec("reader", "touch", "/data/x");
                assertThat(denied.ok()).isFalse();
                assertThat(denied.err()).contains("Read-only file system");
                assertThat(t.exec("writer", "sh", "-c", "echo hi > /data/y").ok()).isTrue();
                assertThat(t.exec("reader", "cat", "/data/y").out()).isEqualTo("hi\n");
            }
        } finally {
            TestImages.podman().run(List.of("rmi", "--force", ref));
        }
    }

    @Test
    void pidModeTaskSharesOneProcessNamespace() {
        for (boolean shared : List.of(true, false)) {
            ObjectNode a = Tasks.container("a", busybox, "sleep", "777");
            ObjectNode b = Tasks.container("b", busybox, "sleep", "1000");
            ObjectNode task = Tasks.task("pids", a, b);
            if (shared) {
                task.put("pidMode", "task");
            }
            try (LocalTask t = LocalTask.start(Tasks.parse(task), options(new Tasks.Collected()).build())) {
                t.awaitRunning("a", Duration.ofSeconds(30));
                t.awaitRunning("b", Duration.ofSeconds(30));
                String ps = t.exec("b", "ps", "-o", "pid,args").out();
                if (shared) {
                    assertThat(ps).contains("sleep 777");
                } else {
                    assertThat(ps).doesNotContain("sleep 777");
                }
            }
        }
    }

    @Test
    void missingSecretsFailBeforeAnythingIsCreated() {
        ObjectNode app = Tasks.container("app", busybox, "true");
        app.putArray("secrets").addObject().put("name", "TOKEN").put("valueFrom", "arn:aws:ssm:us-east-1:1:parameter/token");
        assertThatThrownBy(() -> LocalTask.start(Tasks.parse(Tasks.task("nosecret", app)), options(LogSink.discard()).build()))
                .isInstanceOf(LocalException.BadInput.class)
                .hasMessage("container \"app\": secrets[0] (TOKEN from arn:aws:ssm:us-east-1:1:parameter/token): no value "
                        + "(no --secrets file given); add a line TOKEN=VALUE or \"arn:aws:ssm:us-east-1:1:parameter/token\": \"VALUE\"");
    }
}
