package dev.ward.e2e;

import dev.ward.local.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The agent image as users make it, {@code ward image build-agent --to-tar}, loaded into podman: the sidecar
 * that {@code ward inject} adds. Built once per test JVM.
 */
final class AgentImage {
    static final String REF = "localhost/ward-agent:e2e";
    private static boolean built;

    private AgentImage() {
    }

    static synchronized String ref() throws Exception {
        if (!built) {
            Path dir = Files.createTempDirectory("ward-e2e-agent");
            Path tar = dir.resolve("ward-agent.tar");
            WardCli.ok(Map.of(), "image", "build-agent", "--to-tar", tar.toString());
            var podman = TestImages.podman();
            String loaded = podman.check("load the agent image", "load", "-i", tar.toString());
            String name = null;
            for (String line : loaded.split("\n")) {
                int at = line.indexOf("Loaded image");
                if (at >= 0) {
                    name = line.substring(line.indexOf(':', at) + 1).strip().split(",")[0].strip();
                }
            }
            if (name == null) {
                throw new IllegalStateException("podman load did not name the image: " + loaded);
            }
            podman.check("tag the agent image", "tag", name, REF);
            Files.delete(tar);
            Files.delete(dir);
            built = true;
        }
        return REF;
    }

    /** argv of a process in a container, read from /proc (no ps in minimal images). */
    static List<String> argv(String cmdline) {
        return List.of(cmdline.split("\0"));
    }
}
