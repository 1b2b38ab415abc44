package dev.ward.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.deploy.InjectCommandTest.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images that are in no registry: built with podman here ({@code localhost/app:1}), read from containers-storage;
 * an image whose registry does not answer is read from containers-storage when it was pulled or built here, and
 * otherwise the error says every way forward.
 */
@Timeout(300)
@Tag("container")
class LocalImagesTest {
    static final String TAG = UUID.randomUUID().toString().substring(0, 8);
    static final String LOCAL = "localhost/ward-inject-app:" + TAG;
    /** Port 1 on loopback: nothing listens there, so this "registry" is unreachable at once. */
    static final String OFFLINE = "127.0.0.1:1/team/app:" + TAG;

    @TempDir
    static Path dir;

    @BeforeAll
    static void build() throws Exception {
        Path context = Files.createDirectories(dir.resolve("context"));
        Files.copy(Path.of("/bin/busybox"), context.resolve("busybox"));
        Files.writeString(context.resolve("Containerfile"), """
                FROM scratch
                COPY busybox /bin/busybox
                ENTRYPOINT ["/bin/busybox"]
                CMD ["httpd", "-f", "-p", "8080"]
                USER 1000:1000
                """);
        podman("build", "-q", "-t", LOCAL, context.toString());
        podman("tag", LOCAL, OFFLINE);
    }

    @AfterAll
    static void remove() throws Exception {
        podman("rmi", "-f", LOCAL, OFFLINE);
    }

    @Test
    void aLocalhostImageIsReadFromContainersStorage() throws Exception {
        Run r = InjectCommandTest.inject(task(LOCAL).toString(), "--agent-image", InjectCommandTest.AGENT);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(InjectGoldenTest.strings(InjectGoldenTest.JSON.readTree(r.out()).at("/containerDefinitions/0/entryPoint")))
                .containsExactly(InjectGoldenTest.agentArgv("/bin/busybox", "httpd", "-f", "-p", "8080"));
        assertThat(r.err()).contains("runs as user 1000:1000 (the image's USER)");

        Run missing = InjectCommandTest.inject(task("localhost/ward-no-such-image:" + TAG).toString(), "--agent-image",
                InjectCommandTest.AGENT);
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("not in this machine's containers-storage").contains("podman images");
    }

    @Test
    void anImageWhoseRegistryDoesNotAnswerIsReadFromContainersStorageWhenItIsHere() throws Exception {
        Run r = InjectCommandTest.inject(task(OFFLINE).toString(), "--agent-image", InjectCommandTest.AGENT);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"/bin/busybox\"");
        assertThat(r.err()).contains(OFFLINE + ": read from this machine's containers-storage, as its registry could not give it");

        Run gone = InjectCommandTest.inject(task("127.0.0.1:1/team/other:" + TAG).toString(), "--agent-image",
                InjectCommandTest.AGENT);
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.err()).contains("unreachable").contains("ways forward").contains("entryPoint")
                .contains("--registry-auth").contains("--insecure-registry").contains("podman login");
    }

    private static Path task(String image) throws IOException {
        return Files.writeString(dir.resolve(UUID.randomUUID() + ".json"), """
                {"family": "app", "containerDefinitions": [{"name": "app", "image": "%s"}]}
                """.formatted(image));
    }

    private static void podman(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("podman"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }
}
