package dev.ward.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker-credential-* helpers named by credHelpers and credsStore, run for real (shell scripts as helpers). */
class CredentialHelpersTest {
    @TempDir
    Path dir;

    /** A helper that records the server it was asked about and answers for the servers it knows. */
    private Path helper(String name, String body) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path exe = bin.resolve("docker-credential-" + name);
        Files.writeString(exe, "#!/bin/sh\n[ \"$1\" = get ] || exit 2\nread -r server\necho \"$server\" >> "
                + dir.resolve(name + ".asked") + "\n" + body);
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        return exe;
    }

    private Credentials.Found find(Path config, String image) throws Exception {
        CredentialHelpers helpers = new CredentialHelpers(List.of(config), Map.of("PATH", dir.resolve("bin").toString()));
        return helpers.retrieve(ImageReference.parse(image), image).orElse(null);
    }

    @Test
    void credHelpersForTheHostElseCredsStore() throws Exception {
        helper("ecr", "echo '{\"ServerURL\": \"x\", \"Username\": \"AWS\", \"Secret\": \"from-ecr\"}'\n");
        helper("store", """
                case "$server" in
                  https://index.docker.io/v1/) echo '{"Username": "hub", "Secret": "from-store"}' ;;
                  *) echo "credentials not found in native keychain"; exit 1 ;;
                esac
                """);
        Path config = Files.writeString(dir.resolve("config.json"), """
                {"auths": {}, "credHelpers": {"123456789012.dkr.ecr.eu-west-1.amazonaws.com": "ecr"},
                 "credsStore": "store"}""");
        Credentials.Found ecr = find(config, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1");
        assertThat(ecr.credential()).isEqualTo(new RegistryCredential("AWS", "from-ecr"));
        assertThat(ecr.source()).isEqualTo("credential helper docker-credential-ecr");
        assertThat(Files.readString(dir.resolve("ecr.asked"))).isEqualTo("123456789012.dkr.ecr.eu-west-1.amazonaws.com\n");
        // Docker Hub is asked for under docker's key for it
        assertThat(find(config, "nginx").credential()).isEqualTo(new RegistryCredential("hub", "from-store"));
        // a server the store does not know: no answer, not an error
        assertThat(find(config, "ghcr.io/acme/app")).isNull();
        assertThat(Files.readAllLines(dir.resolve("store.asked"))).containsExactly("https://index.docker.io/v1/", "ghcr.io");
    }

    @Test
    void aMissingHelperOrAnIdentityTokenIsNoCredential() throws Exception {
        Path desktop = Files.writeString(dir.resolve("desktop.json"), "{\"credsStore\": \"desktop\"}");
        assertThat(find(desktop, "nginx")).isNull(); // Docker Desktop's helper on a server: pull anonymously
        helper("oauth", "echo '{\"Username\": \"<token>\", \"Secret\": \"refresh-token\"}'\n");
        Path oauth = Files.writeString(dir.resolve("oauth.json"), "{\"credsStore\": \"oauth\"}");
        assertThat(find(oauth, "nginx")).isNull();
    }

    @Test
    void theChainAsksAuthFilesBeforeHelpers() throws Exception {
        helper("store", "echo '{\"Username\": \"helper\", \"Secret\": \"s\"}'\n");
        Path config = Files.writeString(dir.resolve("config.json"), """
                {"auths": {"ghcr.io": {"username": "file", "password": "p"}}, "credsStore": "store"}""");
        RegistryClient.Settings settings = RegistryClient.builder().authFiles(List.of(config)).ecr(false).settings();
        Credentials chain = Credentials.of(settings, Map.of("PATH", dir.resolve("bin").toString()));
        assertThat(chain.find(ImageReference.parse("ghcr.io/a/b"), "ghcr.io/a/b").orElseThrow().source())
                .isEqualTo("auth file " + config);
        assertThat(chain.find(ImageReference.parse("quay.io/a/b"), "quay.io/a/b").orElseThrow().source())
                .isEqualTo("credential helper docker-credential-store");
    }
}
