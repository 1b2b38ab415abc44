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
 * Bearer token auth for real: the distribution registry (HTTPS, self-signed) refuses requests without a
 * JWT from the loopback token server, which accepts only alice:s3cret and signs with a test certificate.
 */
@Tag("process")
class TokenAuthTest {
    static LocalRegistry reg;
    static String image;

    @BeforeAll
    static void start() throws Exception {
        reg = LocalRegistry.builder().tls().tokenAuth("alice", "s3cret").start();
        reg.push("private/app", "1", Format.OCI, TestImage.linux("amd64").withEntrypoint("/secret-app"));
        image = reg.host() + "/private/app:1";
    }

    @AfterAll
    static void stop() {
        reg.close();
    }

    private static RegistryClient.Builder base() throws RegistryException {
        return RegistryClient.builder().authFiles(List.of()).ecr(false)
                .trustCertificates(reg.certificate().certificatePem());
    }

    @Test
    void explicitCredentialsGetAToken() throws Exception {
        int before = reg.tokenServer().issued();
        RegistryClient c = base().credential(reg.host(), new RegistryCredential("alice", "s3cret")).build();
        assertThat(c.config(image, Platform.LINUX_AMD64).entrypoint()).containsExactly("/secret-app");
        assertThat(reg.tokenServer().issued()).isEqualTo(before + 1);
        // the token is cached per repository: a second read asks for none
        assertThat(c.config(image, Platform.LINUX_AMD64).entrypoint()).containsExactly("/secret-app");
        assertThat(reg.tokenServer().issued()).isEqualTo(before + 1);
    }

    @Test
    void withoutCredentialsTheErrorSaysHowToPassThem() throws Exception {
        RegistryClient c = base().build();
        assertThatThrownBy(() -> c.config(image, Platform.LINUX_AMD64)).isInstanceOf(RegistryException.class)
                .hasMessageStartingWith(image + ": unauthorized at " + reg.host() + " (no credentials for " + reg.host() + ")")
                .hasMessageContaining("--registry-auth " + reg.host() + "=USER:PASSWORD");
    }

    @Test
    void wrongPasswordIsReportedAsRefused() throws Exception {
        int refused = reg.tokenServer().refused();
        RegistryClient c = base().credential(reg.host(), new RegistryCredential("alice", "wrong")).build();
        assertThatThrownBy(() -> c.config(image, Platform.LINUX_AMD64))
                .hasMessageContaining("unauthorized at " + reg.host())
                .hasMessageContaining("credentials from --registry-auth were refused");
        assertThat(reg.tokenServer().refused()).isEqualTo(refused + 1);
    }

    @Test
    void credentialsFromAPodmanAuthFile(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("auth.json");
        String auth = Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
        Files.writeString(file, "{\"auths\":{\"quay.io\":{\"auth\":\"eDp5\"},\"" + reg.host() + "\":{\"auth\":\"" + auth + "\"}}}");
        RegistryClient c = base().authFiles(List.of(tmp.resolve("missing.json"), file)).build();
        assertThat(c.config(image, Platform.LINUX_AMD64).entrypoint()).containsExactly("/secret-app");
    }

    @Test
    void untrustedCertificateIsATlsError() throws Exception {
        // 127.0.0.1 may use plain HTTP, but this registry speaks only TLS with a certificate we do not trust
        RegistryClient c = RegistryClient.builder().authFiles(List.of()).ecr(false).build();
        assertThatThrownBy(() -> c.config(image, Platform.LINUX_AMD64)).isInstanceOf(RegistryException.class)
                .hasMessageStartingWith(image + ": TLS with " + reg.host() + " failed (")
                .hasMessageContaining("pass --registry-ca-cert FILE");
    }

    @Test
    void aNonLoopbackRegistryNeverUsesPlainHttp() throws Exception {
        RegistryClient c = base().build();
        // localhost.localdomain-like names are not defaulted insecure: https is required, connection refused
        assertThatThrownBy(() -> c.config("registry.invalid:1/app:1", Platform.LINUX_AMD64))
                .hasMessageContaining("registry registry.invalid:1 unreachable");
    }
}
