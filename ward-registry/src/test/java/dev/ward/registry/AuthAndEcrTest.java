package dev.ward.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Auth file parsing, WWW-Authenticate parsing, ECR host detection and token decoding (no AWS calls). */
class AuthAndEcrTest {
    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void authFilesMatchHostsDockerHubAliasesAndRepositoryScopes(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("config.json");
        Files.writeString(f, """
                {"auths": {
                  "https://index.docker.io/v1/": {"auth": "%s"},
                  "ghcr.io": {"auth": "%s"},
                  "ghcr.io/acme": {"auth": "%s"},
                  "https://registry.example.com": {"username": "u", "password": "p:w"}
                }, "credsStore": "desktop"}""".formatted(b64("hub:pw"), b64("any:1"), b64("acme:2:x")));
        assertThat(AuthFiles.lookup(f, ImageReference.parse("nginx"))).contains(new RegistryCredential("hub", "pw"));
        assertThat(AuthFiles.lookup(f, ImageReference.parse("ghcr.io/other/app"))).contains(new RegistryCredential("any", "1"));
        assertThat(AuthFiles.lookup(f, ImageReference.parse("ghcr.io/acme/app"))).contains(new RegistryCredential("acme", "2:x"));
        assertThat(AuthFiles.lookup(f, ImageReference.parse("ghcr.io/acmex/app"))).contains(new RegistryCredential("any", "1"));
        assertThat(AuthFiles.lookup(f, ImageReference.parse("registry.example.com/a"))).contains(new RegistryCredential("u", "p:w"));
        assertThat(AuthFiles.lookup(f, ImageReference.parse("quay.io/a"))).isEmpty();
    }

    @Test
    void badAuthFilesNameTheFileAndEntry(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("auth.json");
        Files.writeString(f, "{\"auths\":{\"quay.io\":{\"auth\":\"" + b64("no-colon") + "\"}}}");
        assertThatThrownBy(() -> AuthFiles.lookup(f, ImageReference.parse("quay.io/a/b")))
                .hasMessage("auth file " + f + ": auths.quay.io.auth: expected base64 of USER:PASSWORD");
        Files.writeString(f, "{\"auths\": ");
        assertThatThrownBy(() -> AuthFiles.lookup(f, ImageReference.parse("quay.io/a/b")))
                .hasMessageStartingWith("auth file " + f + ": not valid JSON");
    }

    @Test
    void defaultAuthFilesFollowPodmanThenDocker() {
        Path home = Path.of("/home/u");
        assertThat(AuthFiles.defaultPaths(Map.of("REGISTRY_AUTH_FILE", "/a.json", "XDG_RUNTIME_DIR", "/run/user/1"), home))
                .containsExactly(Path.of("/a.json"), Path.of("/run/user/1/containers/auth.json"),
                        home.resolve(".config/containers/auth.json"), home.resolve(".docker/config.json"));
        assertThat(AuthFiles.defaultPaths(Map.of("DOCKER_CONFIG", "/d"), home))
                .containsExactly(home.resolve(".config/containers/auth.json"), Path.of("/d/config.json"),
                        home.resolve(".docker/config.json"));
    }

    @Test
    void challenges() {
        Challenge c = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/nginx:pull\"");
        assertThat(c.scheme()).isEqualTo("bearer");
        assertThat(c.params()).containsExactlyInAnyOrderEntriesOf(Map.of("realm", "https://auth.docker.io/token",
                "service", "registry.docker.io", "scope", "repository:library/nginx:pull"));
        assertThat(Challenge.parse("Basic realm=\"Registry \\\"x\\\"\"").params()).containsEntry("realm", "Registry \"x\"");
        assertThat(Challenge.parse("Bearer realm=https://t/x, service=s").params()).containsEntry("service", "s");
        assertThatThrownBy(() -> Challenge.parse("Bearer realm=\"open")).hasMessageContaining("unterminated quote");
    }

    @Test
    void ecrHosts() {
        assertThat(Ecr.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com"))
                .contains(new Ecr.Host("123456789012", "eu-west-1", false));
        assertThat(Ecr.parse("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com"))
                .contains(new Ecr.Host("123456789012", "us-gov-west-1", true));
        assertThat(Ecr.parse("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn"))
                .contains(new Ecr.Host("123456789012", "cn-north-1", false));
        for (String not : List.of("public.ecr.aws", "12345.dkr.ecr.eu-west-1.amazonaws.com",
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.io", "ghcr.io", "123456789012.dkr.ecr.eu-west-1.example.com")) {
            assertThat(Ecr.parse(not)).as(not).isEmpty();
        }
    }

    @Test
    void ecrTokenDecoding() {
        assertThat(Ecr.decodeToken(b64("AWS:eyJwYXlsb2FkIjoi...")))
                .isEqualTo(new RegistryCredential("AWS", "eyJwYXlsb2FkIjoi..."));
        assertThatThrownBy(() -> Ecr.decodeToken(b64("AWS"))).hasMessageContaining("not base64 of USER:PASSWORD");
        assertThatThrownBy(() -> Ecr.decodeToken("%%%")).hasMessageContaining("not base64");
        assertThat(new RegistryCredential("AWS", "secret").toString()).doesNotContain("secret");
    }
}
