package dev.ward.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.registry.testing.LocalRegistry;
import dev.ward.registry.testing.LocalRegistry.Format;
import dev.ward.registry.testing.TestImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RegistryClient against the real distribution registry (anonymous, plain HTTP on 127.0.0.1). */
@Tag("process")
class RegistryClientTest {
    static LocalRegistry reg;
    static final RegistryClient CLIENT = RegistryClient.builder().authFiles(List.of()).ecr(false).build();

    static final TestImage APP = TestImage.linux("amd64").withEntrypoint("/docker-entrypoint.sh")
            .withCmd("nginx", "-g", "daemon off;").withUser("101:101").withWorkingDir("/srv")
            .withEnv("PATH=/usr/bin:/bin", "MODE=prod").withVolumes("/data", "/cache")
            .withLabels(Map.of("org.opencontainers.image.title", "app"))
            .withLayer(Map.of("docker-entrypoint.sh", "#!/bin/sh\nexec \"$@\"\n".getBytes(StandardCharsets.UTF_8)));

    @BeforeAll
    static void start() throws Exception {
        reg = LocalRegistry.start();
    }

    @AfterAll
    static void stop() {
        reg.close();
    }

    @Test
    void readsADockerV2Manifest() throws Exception {
        LocalRegistry.Pushed p = reg.push("team/docker-app", "1.0", Format.DOCKER, APP);
        ImageConfig c = CLIENT.config(reg.host() + "/team/docker-app:1.0", Platform.LINUX_AMD64);
        assertThat(c.image()).isEqualTo(reg.host() + "/team/docker-app:1.0");
        assertThat(c.digest()).isEqualTo(p.digest());
        assertThat(c.platform()).isEqualTo(Platform.LINUX_AMD64);
        assertThat(c.entrypoint()).containsExactly("/docker-entrypoint.sh");
        assertThat(c.cmd()).containsExactly("nginx", "-g", "daemon off;");
        assertThat(c.user()).isEqualTo("101:101");
        assertThat(c.workingDir()).isEqualTo("/srv");
        assertThat(c.env()).containsExactly("PATH=/usr/bin:/bin", "MODE=prod");
        assertThat(c.volumes()).containsExactlyInAnyOrder("/data", "/cache");
        assertThat(c.labels()).containsEntry("org.opencontainers.image.title", "app");
    }

    @Test
    void readsAnOciManifestWithUnsetFields() throws Exception {
        LocalRegistry.Pushed p = reg.push("oci-app", "latest", Format.OCI, TestImage.linux("amd64").withCmd("sh"));
        ImageConfig c = CLIENT.config(reg.host() + "/oci-app", Platform.LINUX_AMD64);
        assertThat(c.digest()).isEqualTo(p.digest());
        assertThat(c.entrypoint()).isEmpty();
        assertThat(c.cmd()).containsExactly("sh");
        assertThat(c.user()).isNull();
        assertThat(c.workingDir()).isNull();
        assertThat(c.volumes()).isEmpty();
    }

    @Test
    void picksThePlatformFromAnOciIndexAndADockerManifestList() throws Exception {
        for (Format f : Format.values()) {
            String repo = "multi-" + f.name().toLowerCase();
            LocalRegistry.Pushed idx = reg.pushIndex(repo, "2", f, List.of(
                    TestImage.linux("amd64").withEntrypoint("/amd64-app"),
                    TestImage.linux("arm64").withVariant("v8").withEntrypoint("/arm64-app")));
            String image = reg.host() + "/" + repo + ":2";
            ImageConfig amd = CLIENT.config(image, Platform.LINUX_AMD64);
            assertThat(amd.entrypoint()).containsExactly("/amd64-app");
            assertThat(amd.digest()).isEqualTo(idx.children().get(0).digest());
            ImageConfig arm = CLIENT.config(image, Platform.LINUX_ARM64);
            assertThat(arm.entrypoint()).containsExactly("/arm64-app");
            assertThat(arm.digest()).isEqualTo(idx.children().get(1).digest());
            assertThat(arm.platform()).hasToString("linux/arm64/v8");
            assertThat(CLIENT.config(image, Platform.parse("linux/arm64/v8")).entrypoint()).containsExactly("/arm64-app");
            assertThat(CLIENT.config(image, Platform.parse("ARM64")).entrypoint()).containsExactly("/arm64-app");
            assertThatThrownBy(() -> CLIENT.config(image, Platform.parse("linux/s390x")))
                    .isInstanceOf(RegistryException.class)
                    .hasMessage(image + ": no manifest for platform linux/s390x; the image has linux/amd64, linux/arm64/v8");
        }
    }

    @Test
    void armWithoutVariantInTheIndexMatchesV8() throws Exception {
        reg.pushIndex("arm-novariant", "1", Format.OCI, List.of(TestImage.linux("arm64").withCmd("arm")));
        String image = reg.host() + "/arm-novariant:1";
        assertThat(CLIENT.config(image, Platform.parse("linux/arm64/v8")).cmd()).containsExactly("arm");
        assertThatThrownBy(() -> CLIENT.config(image, Platform.LINUX_AMD64))
                .hasMessageContaining("no manifest for platform linux/amd64; the image has linux/arm64");
    }

    @Test
    void pinnedDigestsOfIndexAndManifest() throws Exception {
        LocalRegistry.Pushed idx = reg.pushIndex("pinned", "moving", Format.OCI, List.of(
                TestImage.linux("amd64").withCmd("v1-amd"), TestImage.linux("arm64").withCmd("v1-arm")));
        String byIndex = reg.host() + "/pinned@" + idx.digest();
        reg.pushIndex("pinned", "moving", Format.OCI, List.of(TestImage.linux("amd64").withCmd("v2-amd")));
        assertThat(CLIENT.config(reg.host() + "/pinned:moving", Platform.LINUX_AMD64).cmd()).containsExactly("v2-amd");
        assertThat(CLIENT.config(byIndex, Platform.LINUX_AMD64).cmd()).containsExactly("v1-amd");
        String child = idx.children().get(1).digest();
        ImageConfig c = CLIENT.config(reg.host() + "/pinned:ignored@" + child, Platform.LINUX_ARM64);
        assertThat(c.cmd()).containsExactly("v1-arm");
        assertThat(c.digest()).isEqualTo(child);
    }

    @Test
    void missingTagRepositoryAndDigestAreClearErrors() throws Exception {
        reg.push("present", "1", Format.OCI, TestImage.linux("amd64"));
        String image = reg.host() + "/present:nope";
        assertThatThrownBy(() -> CLIENT.config(image, Platform.LINUX_AMD64)).isInstanceOf(RegistryException.class)
                .hasMessage(image + ": not found: no tag 'nope' in present on " + reg.host());
        assertThatThrownBy(() -> CLIENT.config(reg.host() + "/absent/repo:1", Platform.LINUX_AMD64))
                .hasMessageContaining(": not found: ").hasMessageContaining("absent/repo");
        String digest = "sha256:" + "0".repeat(64);
        assertThatThrownBy(() -> CLIENT.config(reg.host() + "/present@" + digest, Platform.LINUX_AMD64))
                .hasMessageContaining("not found: no manifest " + digest);
    }

    @Test
    void aSinglePlatformImageOfAnotherPlatformIsRefused() throws Exception {
        reg.push("amd-only", "1", Format.DOCKER, TestImage.linux("amd64"));
        String image = reg.host() + "/amd-only:1";
        assertThatThrownBy(() -> CLIENT.config(image, Platform.LINUX_ARM64))
                .hasMessage(image + ": no manifest for platform linux/arm64; the image has only linux/amd64");
    }

    @Test
    void aCorruptedConfigBlobFailsTheDigestCheck() throws Exception {
        LocalRegistry.Pushed p = reg.push("corrupt", "1", Format.OCI, TestImage.linux("amd64").withUser("app"));
        Path blob = reg.blobFile(p.configDigest());
        String original = Files.readString(blob);
        Files.writeString(blob, original.replace("\"app\"", "\"0\"  "));
        String image = reg.host() + "/corrupt:1";
        assertThatThrownBy(() -> CLIENT.config(image, Platform.LINUX_AMD64))
                .hasMessageStartingWith(image + ": digest mismatch: asked for blob " + p.configDigest());
    }

    @Test
    void sizeLimitsApply() throws Exception {
        reg.push("big", "1", Format.OCI, TestImage.linux("amd64").withEnv("X=" + "y".repeat(5000)));
        RegistryClient small = RegistryClient.builder().authFiles(List.of()).ecr(false).limits(1 << 20, 1000).build();
        assertThatThrownBy(() -> small.config(reg.host() + "/big:1", Platform.LINUX_AMD64))
                .hasMessageContaining("config blob").hasMessageContaining("limit of 1000");
        RegistryClient tiny = RegistryClient.builder().authFiles(List.of()).ecr(false).limits(100, 1000).build();
        assertThatThrownBy(() -> tiny.config(reg.host() + "/big:1", Platform.LINUX_AMD64))
                .hasMessageContaining("manifest 1 is larger than the limit of 100 bytes");
    }

    @Test
    void unreachableAndMalformed() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String image = "127.0.0.1:" + port + "/x:1";
        assertThatThrownBy(() -> CLIENT.config(image, Platform.LINUX_AMD64))
                .hasMessage(image + ": registry 127.0.0.1:" + port + " unreachable (connection refused)");
        assertThatThrownBy(() -> CLIENT.config("Bad/Name", Platform.LINUX_AMD64))
                .isInstanceOf(RegistryException.class).hasMessageContaining("must be lowercase");
    }

    @Test
    void anonymousRegistryIgnoresAuthFiles(@TempDir Path tmp) throws Exception {
        // credentials are only sent when challenged: an open registry works with any auth file
        Path file = tmp.resolve("auth.json");
        Files.writeString(file, "{\"auths\":{\"" + reg.host() + "\":{\"auth\":\""
                + Base64.getEncoder().encodeToString("u:p".getBytes()) + "\"}}}");
        reg.push("open", "1", Format.OCI, TestImage.linux("amd64").withCmd("ok"));
        RegistryClient c = RegistryClient.builder().authFiles(List.of(file)).ecr(false).build();
        assertThat(c.config(reg.host() + "/open:1", Platform.LINUX_AMD64).cmd()).containsExactly("ok");
    }
}
