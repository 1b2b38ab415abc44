package dev.ward.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.local.Podman;
import dev.ward.local.testing.TestImages;
import dev.ward.registry.ImageConfig;
import dev.ward.registry.Platform;
import dev.ward.registry.RegistryClient;
import dev.ward.registry.RegistryCredential;
import dev.ward.registry.testing.LocalRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ward image build-agent}, no daemon: to a tar that podman loads, and to a real local registry
 * over plain HTTP. The image runs {@code version} and exits 0 (the sidecar, as ward inject writes it: user 65534, a
 * read-only root filesystem), declares /ward a volume, and another container given {@code --volumes-from} it runs
 * the agent from that volume.
 */
@Timeout(900)
@Tag("container")
class AgentImageTest {
    @TempDir
    static Path dir;
    static Podman podman;

    @BeforeAll
    static void setUp() throws Exception {
        TestBundle.get();
        podman = TestImages.podman();
    }

    @Test
    void theTarLoadsRunsVersionAndLendsItsVolume() throws Exception {
        Path tar = dir.resolve("agent.tar");
        String ref = "localhost/ward-agent-test:" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(buildAgent("--to-tar", tar.toString(), "--name", ref)).isZero();
        podman.check("load", "load", "-i", tar.toString());
        try {
            checkImage(ref);
        } finally {
            podman.run(List.of("rmi", "-f", ref));
        }
    }

    @Test
    void pushedToAPlainHttpRegistry() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            String ref = registry.host() + "/ward-agent:test";
            // a loopback registry may use plain HTTP without --insecure-registry
            assertThat(buildAgent("--to", ref)).isZero();
            podman.check("pull", "pull", "--tls-verify=false", ref);
            try {
                checkImage(ref);
            } finally {
                podman.run(List.of("rmi", "-f", ref));
            }
        }
    }

    private static void checkImage(String ref) throws Exception {
        JsonNode config = new ObjectMapper().readTree(podman.check("inspect", "image", "inspect", ref)).get(0).get("Config");
        assertThat(config.get("Entrypoint").toString()).isEqualTo("[\"/ward/bin/java\",\"@/ward/ward.args\",\"version\"]");
        assertThat(config.get("Volumes").has("/ward")).as(config.toString()).isTrue();

        String name = "ward-agent-test-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            // as ward inject writes the sidecar: user nobody, read-only root filesystem
            Podman.Result sidecar = podman.run(List.of("run", "--name", name, "--user", "65534:65534", "--read-only", ref));
            assertThat(sidecar.exitCode()).as(sidecar.err()).isZero();
            assertThat(sidecar.out()).startsWith("ward ");
            // the entrypoint ward inject writes: bin/env, then the JVM
            List<String> argv = new java.util.ArrayList<>(List.of("run", "--rm", "--user", "1000", "--volumes-from",
                    name + ":ro", TestImages.busybox()));
            argv.addAll(Bundle.PREFIX);
            argv.addAll(List.of("run", "--", "/bin/sh", "-c", "ls -l /ward/bin/java; exit 5"));
            Podman.Result app = podman.run(argv);
            assertThat(app.exitCode()).as(app.err()).isEqualTo(5);
            assertThat(app.out()).startsWith("-rwxr-xr-x");

            // Kubernetes: the init container as ward inject writes it (nobody, read-only root) copies the bundle
            // into an emptyDir, which the kubelet creates world-writable
            Path emptyDir = java.nio.file.Files.createTempDirectory(dir, "emptydir");
            java.nio.file.Files.setPosixFilePermissions(emptyDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            // (a Kubernetes command replaces the image's entry point, as --entrypoint does)
            List<String> command = new java.util.ArrayList<>(Bundle.PREFIX);
            command.addAll(List.of("install", "--to", "/ward-volume"));
            Podman.Result installed = podman.run(List.of("run", "--rm", "--user", "65534:65534", "--read-only",
                    "-v", emptyDir + ":/ward-volume", "--entrypoint", new ObjectMapper().writeValueAsString(command), ref));
            assertThat(installed.exitCode()).as(installed.err()).isZero();
            assertThat(emptyDir.resolve("ward.args")).isRegularFile();
            assertThat(java.nio.file.Files.isExecutable(emptyDir.resolve("bin/java"))).isTrue();
        } finally {
            podman.run(List.of("rm", "-f", name));
        }
    }

    @Test
    void pushedToARegistryThatWantsALoginWithTheRegistryOptions() throws Exception {
        // TLS with a certificate of its own, as a registry that asks for a login would have: trusted with
        // --registry-ca-cert, as ward image inspect and ward inject trust it (one client, one rule: loopback may use
        // plain HTTP, but a TLS certificate is verified).
        try (LocalRegistry registry = LocalRegistry.builder().tls().basicAuth("ci", "s3cret-pass").start()) {
            String ref = registry.host() + "/team/ward-agent:1";
            String ca = registry.certificate().certificatePem().toString();
            // no credentials: the registry refuses the push, and the message says what to pass
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            java.io.PrintStream saved = System.err;
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                assertThat(buildAgent("--to", ref, "--registry-ca-cert", ca)).isNotZero();
            } finally {
                System.setErr(saved);
            }
            assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("--registry-auth");
            Path password = java.nio.file.Files.writeString(dir.resolve("password"), "s3cret-pass\n");
            assertThat(buildAgent("--to", ref, "--registry-ca-cert", ca, "--registry-auth-file",
                    registry.host() + "=ci:" + password)).isZero();
            ImageConfig config = RegistryClient.builder()
                    .credential(registry.host(), new RegistryCredential("ci", "s3cret-pass"))
                    .trustCertificates(registry.certificate().certificatePem()).build()
                    .config(ref, Platform.parse("linux/amd64"));
            assertThat(config.entrypoint()).containsExactly("/ward/bin/java", "@/ward/ward.args", "version");
        }
    }

    private static int buildAgent(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--bundle";
        all[args.length + 1] = TestBundle.get().toString();
        return new CommandLine(new BuildAgentCommand()).execute(all);
    }
}
