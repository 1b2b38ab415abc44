package dev.ward.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.local.Podman;
import dev.ward.local.testing.TestImages;
import dev.ward.registry.testing.LocalRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ward image build-agent} with Jib, no daemon: to a tar that podman loads, and to a real local registry
 * over plain HTTP. The image runs {@code version} and exits 0 (the sidecar), declares /ward a volume, and another
 * container given {@code --volumes-from} it runs the agent from that volume.
 */
@Timeout(900)
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
            assertThat(buildAgent("--to", ref, "--insecure-registry")).isZero();
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
            Podman.Result sidecar = podman.run(List.of("run", "--name", name, ref));
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
        } finally {
            podman.run(List.of("rm", "-f", name));
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
