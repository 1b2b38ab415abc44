package dev.ward.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.local.Podman;
import dev.ward.local.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The portable bundle ({@code ward image bundle}) mounted read-only at /ward runs the agent in an image that
 * has nothing but busybox-static (no glibc, no loader) and in a plain Debian image, as root and as another
 * user: a policy blocks a read, the workload sees Permission denied, the alert is printed, and the workload's
 * exit code comes back through the agent.
 */
@Timeout(600)
class BundleTest {
    @TempDir
    static Path dir;
    static Path bundle;

    @BeforeAll
    static void build() throws Exception {
        bundle = dir.resolve("ward");
        WardCli.ok(Map.of(), "image", "bundle", "--to", bundle.toString());
        Files.writeString(dir.resolve("policy.yaml"), """
                apiVersion: security.kubearmor.com/v1
                kind: KubeArmorPolicy
                metadata: {name: block-secret}
                spec:
                  selector: {matchLabels: {kubearmor.io/container.name: app}}
                  file: {matchPaths: [{path: /tmp/secret.txt}]}
                  action: Block
                """);
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({"busybox, 0", "busybox, 65534", "debian, 0", "debian, 65534"})
    void theAgentRunsFromTheBundleWithoutTheImagesLibraries(String image, String user) throws Exception {
        String ref = image.equals("busybox") ? TestImages.busybox() : TestImages.debian();
        Podman podman = TestImages.podman();
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--user", user, "-v", bundle + ":/ward:ro", "-v",
                dir.resolve("policy.yaml") + ":/policy.yaml:ro", ref, "/ward/bin/java", "@/ward/ward.args", "run",
                "--container-name", "app", "--policy", "/policy.yaml", "--", "/bin/sh", "-c",
                "echo s3cret > /tmp/secret.txt 2>/dev/null; cat /tmp/secret.txt; echo id=$(id -u); exit 7"));
        Podman.Result r = podman.run(args);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(7);
        assertThat(r.out()).contains("id=" + user).doesNotContain("s3cret");
        assertThat(r.err() + r.out()).contains("Permission denied");
        assertThat(r.out()).contains("\"PolicyName\":\"block-secret\"").contains("\"Action\":\"Block\"")
                .contains("\"UID\":" + user);
    }
}
