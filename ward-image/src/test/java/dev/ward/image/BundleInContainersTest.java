package dev.ward.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.local.Podman;
import dev.ward.local.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bundle mounted read-only at /ward in real podman containers: an image with nothing but busybox-static (no
 * loader, no libc) and a Debian image, as root and as user 1000. The agent enforces a policy, passes exit codes
 * and SIGTERM through as PID 1 (started through the bundle's env, as ward inject writes it), ignores the image's
 * LD_LIBRARY_PATH and NSS modules for itself, uses its AOT cache (also when started as plain java, re-executing
 * itself), and copies itself with install.
 */
@Timeout(900)
@Tag("container")
class BundleInContainersTest {
    @TempDir
    static Path dir;
    static Path ward;
    static Podman podman;

    @BeforeAll
    static void setUp() throws Exception {
        ward = TestBundle.get();
        podman = TestImages.podman();
        Files.writeString(dir.resolve("policy.yaml"), """
                apiVersion: security.kubearmor.com/v1
                kind: KubeArmorPolicy
                metadata: {name: block-secret}
                spec:
                  selector: {matchLabels: {kubearmor.io/container.name: app}}
                  file: {matchPaths: [{path: /tmp/secret.txt}]}
                  action: Block
                """);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("policy.yaml"), PosixFilePermissions.fromString("rw-r--r--"));
    }

    @ParameterizedTest(name = "{0} as uid {1}")
    @CsvSource({"busybox, 0", "busybox, 1000", "debian, 0", "debian, 1000"})
    void aBlockedReadFailsAndIsReported(String image, String user) {
        Podman.Result r = podman.run(run(List.of("--user", user), image(image), "/bin/sh", "-c",
                "echo s3cret > /tmp/secret.txt; cat /tmp/secret.txt; echo uid=$(id -u); exit 7"));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(7);
        assertThat(r.out()).contains("uid=" + user).doesNotContain("s3cret");
        assertThat(r.err()).contains("/tmp/secret.txt: Permission denied");
        assertThat(r.out()).contains("\"PolicyName\":\"block-secret\"", "\"Action\":\"Block\"", "\"UID\":" + user,
                "\"Resource\":\"/tmp/secret.txt\"");
    }

    @Test
    void theWorkloadFindsNoAttachSocketOfTheAgentsJvm() {
        // With -Xrs HotSpot opens its attach listener at start, /tmp/.java_pid1 here: a root workload could run
        // jcmd against the agent (PID 1) through it. The agent's flags turn the attach mechanism off.
        Podman.Result r = podman.run(run(List.of(), TestImages.busybox(), "/bin/sh", "-c",
                "ls -a /tmp; test -S /tmp/.java_pid1 && echo attach socket; echo checked"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("checked").doesNotContain("attach socket").doesNotContain(".java_pid");
    }

    @Test
    void theImagesLibraryPathReachesTheWorkloadButNotTheAgent() throws Exception {
        // A directory of "libraries" that are not libraries: the agent would die loading them.
        Path evil = Files.createDirectories(dir.resolve("evil"));
        for (String lib : List.of("libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "libz.so.1")) {
            Files.writeString(evil.resolve(lib), "not a library\n");
        }
        Podman.Result r = podman.run(run(List.of("-e", "LD_LIBRARY_PATH=/evil", "-v", evil + ":/evil:ro"),
                TestImages.busybox(), "/bin/sh", "-c", "echo ld=$LD_LIBRARY_PATH"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("ld=/evil");
    }

    @Test
    void theAgentLoadsNoLibraryOfTheImageNotEvenNssModules() throws Exception {
        // nsswitch "compat" makes glibc dlopen libnss_compat.so.2 when the JVM looks up its user at start: it must
        // come from /ward/glibc, not from the image (a module of another glibc build).
        Path nss = Files.writeString(dir.resolve("nsswitch.conf"), "passwd: compat\ngroup: compat\nhosts: files dns\n");
        Files.setPosixFilePermissions(nss, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> args = new ArrayList<>(run(List.of("-d", "-v", nss + ":/etc/nsswitch.conf:ro"), TestImages.debian(),
                "/bin/sh", "-c", "cat /proc/1/maps >/dev/null 2>&1; echo maps=$?; exec sleep 60"));
        args.remove("--rm");
        String id = podman.check("start a container", args).strip();
        try {
            // The workload cannot read the agent's (PID 1's) maps: the agent is not dumpable and the workload
            // has no CAP_SYS_PTRACE. The host can, through the container's PID 1 as the host sees it.
            String logs = "";
            for (int i = 0; i < 100 && !logs.contains("maps="); i++) {
                Thread.sleep(100);
                logs = podman.check("read the logs", "logs", id);
            }
            assertThat(logs).contains("maps=1");
            String pid = podman.check("find PID 1", "inspect", "--format", "{{.State.Pid}}", id).strip();
            List<String> libraries = Files.readAllLines(Path.of("/proc", pid, "maps")).stream()
                    .filter(l -> l.contains(".so")).map(l -> l.substring(l.lastIndexOf(' ') + 1)).distinct().toList();
            assertThat(libraries).as("the agent's (PID 1's) mapped libraries").isNotEmpty()
                    .allMatch(l -> l.startsWith("/ward/"), "under /ward")
                    .anyMatch(l -> l.equals("/ward/glibc/libnss_compat.so.2"));
        } finally {
            podman.run(List.of("rm", "-f", id));
        }
    }

    @Test
    void sigtermToTheContainerReachesTheWorkloadAndItsExitCodeComesBack() throws Exception {
        assertThat(stopped("trap 'echo got TERM; exit 3' TERM; echo ready; while :; do sleep 0.2; done")).isEqualTo(3);
        // A workload that does not handle it dies of it: 128 + 15.
        assertThat(stopped("echo ready; exec sleep 600")).isEqualTo(143);
    }

    @Test
    void theAotCacheIsUsed() {
        // AOTMode=on makes the JVM refuse to start when the cache cannot be used; it is on the command line, so
        // the agent's re-execution keeps it too.
        for (List<String> cmd : List.of(List.of("version"), List.of("run", "--", "/bin/true"))) {
            List<String> args = new ArrayList<>(List.of("run", "--rm", "-v", ward + ":/ward:ro", TestImages.busybox(),
                    "/ward/bin/java", "-XX:AOTMode=on", "@/ward/ward.args"));
            args.addAll(cmd);
            Podman.Result r = podman.run(args);
            assertThat(r.exitCode()).as(cmd + ": " + r.err()).isZero();
        }
    }

    @Test
    void installCopiesTheBundleWithItsModesAndTheCopyRuns() throws Exception {
        Path vol = Files.createDirectories(dir.resolve("volume"));
        Podman.Result r = podman.run(List.of("run", "--rm", "-v", ward + ":/ward:ro", "-v", vol + ":/ward-volume",
                TestImages.busybox(), "/ward/bin/java", "@/ward/ward.args", "install", "--to", "/ward-volume"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        for (Path f : TestBundle.files(ward)) {
            Path copy = vol.resolve(ward.relativize(f).toString());
            assertThat(copy).as(copy.toString()).isRegularFile();
            assertThat(Files.getPosixFilePermissions(copy)).as(copy.toString()).isEqualTo(Files.getPosixFilePermissions(f));
        }
        Podman.Result v = podman.run(List.of("run", "--rm", "-v", vol + ":/ward:ro", TestImages.busybox(),
                "/ward/bin/java", "-XX:AOTMode=on", "@/ward/ward.args", "version"));
        assertThat(v.exitCode()).as(v.err()).isZero();
        assertThat(v.out()).startsWith("ward ");
    }

    /** Starts a supervised busybox shell in the background, sends the container SIGTERM, returns its exit code. */
    private static int stopped(String script) throws Exception {
        String name = "ward-image-test-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name));
        List<String> foreground = run(List.of(), TestImages.busybox(), "/bin/sh", "-c", script);
        args.addAll(foreground.subList(2, foreground.size())); // without "run --rm"
        try {
            podman.check("start " + name, args);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!podman.run(List.of("logs", name)).out().contains("ready")) {
                assertThat(System.nanoTime()).as("the workload did not start: " + podman.run(List.of("logs", name)))
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
            podman.check("signal " + name, "kill", "--signal", "TERM", name);
            return Integer.parseInt(podman.check("wait for " + name, "wait", name).strip());
        } finally {
            podman.run(List.of("rm", "-f", "-t", "0", name));
        }
    }

    /**
     * podman run --rm [extra] -v bundle -v policy IMAGE ENTRYPOINT-PREFIX run ... -- CMD: the entrypoint ward inject
     * writes (bin/env blocks the forwarded signals, then the JVM starts once). theAotCacheIsUsed starts bin/java
     * directly, the agent's re-executing fallback.
     */
    private static List<String> run(List<String> extra, String image, String... cmd) {
        List<String> args = new ArrayList<>(List.of("run", "--rm"));
        args.addAll(extra);
        args.addAll(List.of("-v", ward + ":/ward:ro", "-v", dir.resolve("policy.yaml") + ":/policy.yaml:ro", image));
        args.addAll(Bundle.PREFIX);
        args.addAll(List.of("run", "--container-name", "app", "--policy", "/policy.yaml", "--"));
        args.addAll(List.of(cmd));
        return args;
    }

    private static String image(String name) {
        return name.equals("busybox") ? TestImages.busybox() : TestImages.debian();
    }
}
