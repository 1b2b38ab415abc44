package dev.ward.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.local.Podman;
import dev.ward.local.testing.TestImages;
import dev.ward.registry.ImageConfig;
import dev.ward.registry.MediaTypes;
import dev.ward.registry.Platform;
import dev.ward.registry.RegistryClient;
import dev.ward.registry.RemoteImage;
import dev.ward.registry.testing.LocalRegistry;
import dev.ward.registry.testing.TestImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * ward image embed against a real registry: the entry point it writes, what it keeps (the CMD, overridable at run
 * time, as podman shows) and what it refuses.
 */
@Timeout(600)
@Tag("container")
class EmbedCommandTest {
    @Test
    void anImagesStopSignalBecomesTheAgentsAndAnEmbeddedImageIsNotEmbeddedTwice() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            TestImage app = TestImage.linux("amd64").withEntrypoint("/docker-entrypoint.sh").withCmd("nginx", "-g",
                    "daemon off;").withUser("101").withStopSignal("SIGQUIT")
                    .withLayer(Map.of("docker-entrypoint.sh", "#!/bin/sh\nexec \"$@\"\n".getBytes(StandardCharsets.UTF_8)));
            registry.push("team/nginx", "1", LocalRegistry.Format.OCI, app);
            String from = registry.host() + "/team/nginx:1";
            String to = registry.host() + "/team/nginx:1-ward";
            Run first = embed(from, to);
            assertThat(first.code()).as(first.err()).isZero();
            assertThat(first.err()).contains("stops with SIGQUIT").contains("runs as user 101");

            ImageConfig embedded = RegistryClient.builder().build().config(to, Platform.LINUX_AMD64);
            List<String> expected = new ArrayList<>(Bundle.PREFIX);
            expected.addAll(List.of("run", "--stop-signal", "SIGQUIT", "--", "/docker-entrypoint.sh"));
            assertThat(embedded.entrypoint()).isEqualTo(expected);
            assertThat(embedded.cmd()).containsExactly("nginx", "-g", "daemon off;");
            assertThat(embedded.user()).isEqualTo("101");

            Run again = embed(to, registry.host() + "/team/nginx:1-ward-ward");
            assertThat(again.code()).isEqualTo(2);
            assertThat(again.err()).contains("already starts the Ward agent");
        }
    }

    @Test
    void theImagesCommandStaysOverridable() throws Exception {
        Podman podman = TestImages.podman();
        Path context = Files.createTempDirectory("ward-embed-cmd");
        String app = "localhost/ward-embed-cmd:" + UUID.randomUUID().toString().substring(0, 8);
        try (LocalRegistry registry = LocalRegistry.start()) {
            // ENTRYPOINT echo, CMD "original": what runs is echo with the CMD, or with what the run gives instead
            Files.writeString(context.resolve("Containerfile"), "FROM " + TestImages.busybox() + "\n"
                    + "ENTRYPOINT [\"/bin/echo\", \"said:\"]\nCMD [\"original\"]\n");
            podman.check("build", "build", "-q", "-t", app, context.toString());
            String from = registry.host() + "/team/echo:1";
            String to = registry.host() + "/team/echo:1-ward";
            podman.check("push", "push", "--tls-verify=false", app, from);
            Run embedded = embed(from, to);
            assertThat(embedded.code()).as(embedded.err()).isZero();
            podman.check("pull", "pull", "--tls-verify=false", to);
            try {
                Podman.Result plain = podman.run(List.of("run", "--rm", "--user", "1000", to));
                assertThat(plain.exitCode()).as(plain.err()).isZero();
                assertThat(plain.out()).contains("said: original");
                Podman.Result override = podman.run(List.of("run", "--rm", "--user", "1000", to, "override"));
                assertThat(override.exitCode()).as(override.err()).isZero();
                assertThat(override.out()).contains("said: override").doesNotContain("original");
            } finally {
                podman.run(List.of("rmi", "-f", to));
            }
        } finally {
            podman.run(List.of("rmi", "-f", app));
            Bundle.deleteTree(context);
        }
    }

    @Test
    void anImageOfAnotherRegistryKeepsItsFormatLayersAndSettings() throws Exception {
        try (LocalRegistry source = LocalRegistry.start(); LocalRegistry target = LocalRegistry.start()) {
            TestImage app = TestImage.linux("amd64").withEntrypoint("/app").withEnv("MODE=prod").withWorkingDir("/srv")
                    .withStopSignal("SIGINT").withLayer(Map.of("app", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)));
            source.push("team/app", "oci", LocalRegistry.Format.OCI, app);
            source.push("team/app", "docker", LocalRegistry.Format.DOCKER, app);
            RegistryClient client = RegistryClient.builder().build();
            for (String tag : List.of("oci", "docker")) {
                String from = source.host() + "/team/app:" + tag;
                String to = target.host() + "/team/app:" + tag + "-ward";
                Run run = embed(from, to);
                assertThat(run.code()).as(run.err()).isZero();
                RemoteImage base = client.image(from, Platform.LINUX_AMD64);
                RemoteImage embedded = client.image(to, Platform.LINUX_AMD64);
                assertThat(embedded.isOci()).isEqualTo(tag.equals("oci"));
                assertThat(embedded.layers()).hasSize(2).startsWith(base.layers().getFirst());
                assertThat(embedded.layers().getLast().mediaType())
                        .isEqualTo(tag.equals("oci") ? MediaTypes.OCI_LAYER : MediaTypes.DOCKER_LAYER);
                ImageConfig config = client.config(to, Platform.LINUX_AMD64);
                assertThat(config.env()).containsExactly("MODE=prod");
                assertThat(config.workingDir()).isEqualTo("/srv");
                // the agent carries the stop signal (--stop-signal SIGINT), the image does not
                assertThat(config.stopSignal()).isNull();
                assertThat(config.entrypoint()).contains("--stop-signal", "SIGINT").endsWith("--", "/app");
            }
        }
    }

    record Run(int code, String err) { }

    private static Run embed(String from, String to) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new EmbedCommand()).execute("--from", from, "--to", to, "--bundle",
                    TestBundle.get().toString());
            return new Run(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }
}
