package dev.ward.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.local.testing.TestImages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ward local run/ps/stop} as separate processes, signals included. */
@Timeout(180)
@Tag("container")
class LocalCommandTest {
    @TempDir
    Path dir;

    /** A running {@code ward local ...} JVM whose output is collected line by line. */
    record Cli(Process process, ConcurrentLinkedQueue<String> lines) {
        String text() {
            return String.join("\n", lines);
        }

        void awaitLine(String fragment, long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (lines.stream().noneMatch(l -> l.contains(fragment))) {
                assertThat(System.nanoTime()).as("waiting for \"" + fragment + "\" in:\n" + text()).isLessThan(deadline);
                assertThat(process.isAlive()).as("ward local exited early:\n" + text()).isTrue();
                Thread.sleep(50);
            }
        }
    }

    static Cli start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), LocalCommand.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        Thread.ofPlatform().daemon(true).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    System.out.println("[cli] " + line);
                }
            } catch (IOException e) {
                // process gone
            }
        });
        return new Cli(p, lines);
    }

    static Cli finish(Cli cli, long seconds) throws InterruptedException {
        assertThat(cli.process().waitFor(seconds, TimeUnit.SECONDS)).as("ward local still runs:\n" + cli.text()).isTrue();
        Thread.sleep(100); // last lines
        return cli;
    }

    @Test
    void sigtermStopsTheTaskInReverseDependencyOrderWithinStopTimeouts() throws Exception {
        String busybox = TestImages.busybox();
        String loop = "; while true; do sleep 0.1; done";
        ObjectNode db = Tasks.shell("db", busybox, "trap 'echo db bye; exit 0' TERM; echo db up" + loop);
        ObjectNode web = Tasks.shell("web", busybox, "trap 'echo web bye; exit 0' TERM; echo web up" + loop);
        Tasks.dependsOn(web, "db", "START");
        ObjectNode stubborn = Tasks.container("stubborn", busybox, "sleep", "1000"); // pid 1: ignores SIGTERM
        stubborn.put("essential", false);
        stubborn.put("stopTimeout", 2);
        Path file = dir.resolve("task.json");
        Files.writeString(file, Tasks.task("sigterm", web, db, stubborn).toString());

        Cli cli = start("run", file.toString(), "--no-color");
        try {
            stopsInOrder(cli);
        } finally {
            if (cli.process().isAlive()) {
                cli.process().destroyForcibly();
                cli.lines().stream().filter(l -> l.contains(" created, ")).findFirst().ifPresent(l -> TestImages.podman()
                        .run(List.of("pod", "rm", "--force", "--time", "0", l.replaceAll(".*task (ward-sigterm-[0-9a-f]+) .*", "$1"))));
            }
        }
    }

    private static void stopsInOrder(Cli cli) throws Exception {
        cli.awaitLine("| web up", 60);
        cli.awaitLine("| db up", 10);
        String pod = cli.lines().stream().filter(l -> l.contains("created")).findFirst().orElseThrow()
                .replaceAll(".*task (ward-sigterm-[0-9a-f]+) .*", "$1");
        long t0 = System.nanoTime();
        cli.process().toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
        finish(cli, 30);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(cli.process().exitValue()).as(cli.text()).isZero(); // web, the essential container, exited 0
        String out = cli.text();
        assertThat(out).contains("received SIGTERM", "web: exit code 0", "db: exit code 0", "stubborn: exit code 137");
        assertThat(out.indexOf("| web bye")).as("web stops before db, which it depends on").isGreaterThan(0)
                .isLessThan(out.indexOf("| db bye"));
        assertThat(millis).as("stubborn gets SIGKILL after its 2 s stopTimeout").isGreaterThan(1900).isLessThan(15000);
        assertThat(TestImages.podman().run(List.of("pod", "exists", pod)).ok()).isFalse();
    }

    @Test
    void detachPsAndStop() throws Exception {
        String busybox = TestImages.busybox();
        ObjectNode web = Tasks.container("web", busybox, "httpd", "-f", "-p", "8080", "-h", "/");
        web.putArray("portMappings").addObject().put("containerPort", 8080);
        web.putObject("linuxParameters").put("initProcessEnabled", true);
        web.putObject("healthCheck").putArray("command").add("CMD").add("true");
        Path file = dir.resolve("task.json");
        Files.writeString(file, Tasks.task("detached", web).toString());

        Cli run = finish(start("run", "--detach", "--random-ports", file.toString()), 60);
        assertThat(run.process().exitValue()).as(run.text()).isZero();
        String taskId = run.lines().stream().filter(l -> l.matches("[0-9a-f]{32}")).findFirst().orElseThrow();
        try {
            String ps = "";
            for (int i = 0; i < 50 && !ps.contains("healthy"); i++) {
                Thread.sleep(200);
                Cli c = finish(start("ps"), 30);
                ps = c.text();
            }
            assertThat(ps).contains("TASK", taskId.substring(0, 12), "detached:1", "web", "running", "healthy",
                    "127.0.0.1:");
        } finally {
            Cli stop = finish(start("stop", taskId.substring(0, 8)), 60);
            assertThat(stop.process().exitValue()).as(stop.text()).isZero();
            assertThat(stop.text()).contains("stopped " + taskId);
        }
        Cli after = finish(start("ps"), 30);
        assertThat(after.text()).doesNotContain(taskId.substring(0, 12));
        Cli again = finish(start("stop", taskId.substring(0, 8)), 30);
        assertThat(again.process().exitValue()).isEqualTo(2);
        assertThat(again.text()).contains("no local task matches \"" + taskId.substring(0, 8) + "\"");
    }

    @Test
    void badInputExitsWithTwoAndNamesTheField() throws Exception {
        ObjectNode web = Tasks.container("web", "busybox");
        Tasks.dependsOn(web, "db", "START");
        Path file = dir.resolve("bad.json");
        Files.writeString(file, Tasks.task("bad", web).toString());
        Cli cli = finish(start("run", file.toString()), 30);
        assertThat(cli.process().exitValue()).isEqualTo(2);
        assertThat(cli.text()).contains(file + ": container \"web\": dependsOn[0].containerName: no container named \"db\" in the task (web)");
    }

    @Test
    void missingPodmanSaysHowToInstallIt() throws Exception {
        Path file = dir.resolve("task.json");
        Files.writeString(file, Tasks.task("nopodman", Tasks.container("web", "busybox")).toString());
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), LocalCommand.class.getName(), "run", file.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", dir.toString()); // no podman there
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(1);
        assertThat(out).contains("podman is not installed", "apt-get install podman runc catatonit slirp4netns");
    }

    @Test
    void aSecondInterruptKillsWithoutWaitingForStopTimeouts() throws Exception {
        ObjectNode app = Tasks.shell("app", TestImages.busybox(), "echo app up; exec sleep 1000"); // pid 1: ignores SIGTERM
        app.put("stopTimeout", 60);
        Path file = dir.resolve("task.json");
        Files.writeString(file, Tasks.task("interrupt", app).toString());
        Cli cli = start("run", file.toString(), "--no-color");
        try {
            cli.awaitLine("| app up", 60);
            long t0 = System.nanoTime();
            signal(cli.process().pid(), "INT");
            cli.awaitLine("received SIGINT", 10);
            Thread.sleep(500);
            assertThat(cli.process().isAlive()).as("waits for app's 60 s stopTimeout").isTrue();
            signal(cli.process().pid(), "INT");
            finish(cli, 20);
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(15);
            assertThat(cli.process().exitValue()).as(cli.text()).isEqualTo(137);
            assertThat(cli.text()).contains("app: exit code 137");
        } finally {
            if (cli.process().isAlive()) {
                cli.process().destroyForcibly();
            }
        }
    }

    private static void signal(long pid, String name) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor()).isZero();
    }
}
