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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP Basic auth for real: the distribution registry with a bcrypt htpasswd file answers
 * {@code 401 WWW-Authenticate: Basic realm=...} and accepts only bob's password (which contains ':').
 */
@Tag("process")
class BasicAuthTest {
    static final String USER = "bob";
    static final String PASSWORD = "pa:ss w0rd";
    static LocalRegistry reg;
    static LocalRegistry.Pushed pushed;
    static String image;

    @BeforeAll
    static void start() throws Exception {
        reg = LocalRegistry.builder().basicAuth(USER, PASSWORD).start();
        pushed = reg.push("private/app", "1", Format.DOCKER, TestImage.linux("amd64").withEntrypoint("/basic-app")
                .withCmd("serve").withUser("65534").withWorkingDir("/srv"));
        image = reg.host() + "/private/app:1";
    }

    @AfterAll
    static void stop() {
        reg.close();
    }

    private static RegistryClient.Builder base() {
        return RegistryClient.builder().authFiles(List.of()).ecr(false);
    }

    @Test
    void explicitCredentials() throws Exception {
        RegistryClient c = base().credential(reg.host(), new RegistryCredential(USER, PASSWORD)).build();
        ImageConfig cfg = c.config(image, Platform.LINUX_AMD64);
        assertThat(cfg.digest()).isEqualTo(pushed.digest());
        assertThat(cfg.entrypoint()).containsExactly("/basic-app");
        assertThat(cfg.cmd()).containsExactly("serve");
        assertThat(cfg.user()).isEqualTo("65534");
        assertThat(cfg.workingDir()).isEqualTo("/srv");
        // pinned by digest, same client (the Authorization is reused for the repository)
        assertThat(c.config(reg.host() + "/private/app@" + pushed.digest(), Platform.LINUX_AMD64).entrypoint())
                .containsExactly("/basic-app");
    }

    @Test
    void withoutCredentialsTheErrorSaysHowToPassThem() {
        RegistryClient c = base().build();
        assertThatThrownBy(() -> c.config(image, Platform.LINUX_AMD64)).isInstanceOf(RegistryException.class)
                .hasMessageStartingWith(image + ": unauthorized at " + reg.host() + " (no credentials for " + reg.host() + ")")
                .hasMessageContaining("--registry-auth " + reg.host() + "=USER:PASSWORD");
    }

    @Test
    void wrongPasswordIsReportedAsRefused() {
        RegistryClient c = base().credential(reg.host(), new RegistryCredential(USER, "pa:ss w0rD")).build();
        assertThatThrownBy(() -> c.config(image, Platform.LINUX_AMD64)).isInstanceOf(RegistryException.class)
                .hasMessageStartingWith(image + ": unauthorized at " + reg.host())
                .hasMessageContaining("credentials from --registry-auth were refused")
                // the registry's own words come before the hint, which ends the message
                .hasMessageContaining("): {\"errors\":[{\"code\":\"UNAUTHORIZED\"")
                .hasMessageEndingWith("or log in with podman login / docker login.");
    }

    @Test
    void credentialsFromADockerConfig(@TempDir Path tmp) throws Exception {
        // docker login writes auths.HOST.auth = base64(user:password); podman's auth.json has no entry here
        Path podman = tmp.resolve("auth.json");
        Files.writeString(podman, "{\"auths\":{\"quay.io\":{\"auth\":\"eDp5\"}}}");
        Path docker = tmp.resolve("config.json");
        String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        Files.writeString(docker, "{\"auths\":{\"http://" + reg.host() + "\":{\"auth\":\"" + auth + "\"}},"
                + "\"credsStore\":\"desktop\"}");
        RegistryClient c = base().authFiles(List.of(podman, docker)).build();
        assertThat(c.config(image, Platform.LINUX_AMD64).entrypoint()).containsExactly("/basic-app");
    }

    @Test
    void explicitCredentialsWinOverAuthFiles(@TempDir Path tmp) throws Exception {
        Path docker = tmp.resolve("config.json");
        String bad = Base64.getEncoder().encodeToString((USER + ":nope").getBytes(StandardCharsets.UTF_8));
        Files.writeString(docker, "{\"auths\":{\"" + reg.host() + "\":{\"auth\":\"" + bad + "\"}}}");
        RegistryClient fromFile = base().authFiles(List.of(docker)).build();
        assertThatThrownBy(() -> fromFile.config(image, Platform.LINUX_AMD64))
                .hasMessageContaining("credentials from auth file " + docker + " were refused");
        RegistryClient explicit = base().authFiles(List.of(docker))
                .credential(reg.host(), new RegistryCredential(USER, PASSWORD)).build();
        assertThat(explicit.config(image, Platform.LINUX_AMD64).entrypoint()).containsExactly("/basic-app");
    }

    @Test
    void basicAuthOverTls() throws Exception {
        try (LocalRegistry tls = LocalRegistry.builder().tls().basicAuth(USER, PASSWORD).start()) {
            tls.push("team/app", "2", Format.OCI, TestImage.linux("arm64").withVariant("v8").withEntrypoint("/tls-app"));
            String ref = tls.host() + "/team/app:2";
            RegistryClient c = base().trustCertificates(tls.certificate().certificatePem())
                    .credential(tls.host(), new RegistryCredential(USER, PASSWORD)).build();
            assertThat(c.config(ref, Platform.LINUX_ARM64).entrypoint()).containsExactly("/tls-app");
        }
    }
}
