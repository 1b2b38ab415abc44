package dev.ward.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.registry.RegistryClient;
import dev.ward.registry.testing.LocalRegistry;
import dev.ward.registry.testing.LocalRegistry.Format;
import dev.ward.registry.testing.TestImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ward image inspect} end to end against the real registry with token auth. */
@Tag("process")
class ImageInspectCommandTest {
    record Run(int exit, String out, String err) { }

    static Run run(String... args) {
        CommandLine cl = new CommandLine(new ImageCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void printsTextAndJsonWithCredentialsFromAFile(@TempDir Path tmp) throws Exception {
        try (LocalRegistry reg = LocalRegistry.builder().tls().tokenAuth("ci", "pa:ss").start()) {
            LocalRegistry.Pushed idx = reg.pushIndex("acme/web", "3", Format.DOCKER, List.of(
                    TestImage.linux("amd64").withEntrypoint("/bin/web").withCmd("--port", "80"),
                    TestImage.linux("arm64").withVariant("v8").withEntrypoint("/bin/web-arm").withUser("1000")
                            .withWorkingDir("/app").withEnv("A=1").withVolumes("/data").withStopSignal("SIGQUIT")));
            Path pw = tmp.resolve("pw");
            Files.writeString(pw, "pa:ss\n");
            String image = reg.host() + "/acme/web:3";
            String[] common = {"--registry-auth-file", reg.host() + "=ci:" + pw,
                "--registry-ca-cert", reg.certificate().certificatePem().toString()};
            Run text = run(concat(new String[] {"inspect", image}, common));
            assertThat(text.exit()).as(text.err()).isZero();
            assertThat(text.out()).contains("digest:     " + idx.children().get(0).digest())
                    .contains("platform:   linux/amd64").contains("entrypoint: [\"/bin/web\"]")
                    .contains("cmd:        [\"--port\",\"80\"]").contains("user:       (unset: root)")
                    .contains("stopsignal: (unset: SIGTERM)");
            Run json = run(concat(new String[] {"inspect", image, "--platform", "linux/arm64", "--json"}, common));
            assertThat(json.exit()).as(json.err()).isZero();
            JsonNode n = new ObjectMapper().readTree(json.out());
            assertThat(n.get("digest").asText()).isEqualTo(idx.children().get(1).digest());
            assertThat(n.get("platform").asText()).isEqualTo("linux/arm64/v8");
            assertThat(n.get("entrypoint").get(0).asText()).isEqualTo("/bin/web-arm");
            assertThat(n.get("cmd")).isEmpty();
            assertThat(n.get("user").asText()).isEqualTo("1000");
            assertThat(n.get("workingDir").asText()).isEqualTo("/app");
            assertThat(n.get("volumes").get(0).asText()).isEqualTo("/data");
            assertThat(n.get("stopSignal").asText()).isEqualTo("SIGQUIT");

            Run denied = run("inspect", image, "--registry-ca-cert", reg.certificate().certificatePem().toString());
            assertThat(denied.exit()).isEqualTo(1);
            assertThat(denied.err()).startsWith("ward image inspect: " + image + ": unauthorized at " + reg.host());
        }
    }

    @Test
    void badOptionsAreClearErrors() {
        Run p = run("inspect", "nginx", "--platform", "linux");
        assertThat(p.exit()).isEqualTo(2);
        assertThat(p.err()).contains("--platform: platform 'linux': expected OS/ARCH[/VARIANT]");
        Run a = run("inspect", "127.0.0.1:1/x", "--registry-auth", "host=secret-without-user");
        assertThat(a.exit()).isEqualTo(1);
        assertThat(a.err()).contains("--registry-auth 'host=...': expected HOST=USER:PASSWORD").doesNotContain("secret");
    }

    @Test
    void passwordFromTheEnvironment() throws Exception {
        RegistryOptions o = new RegistryOptions();
        o.authEnv = List.of("ghcr.io=me:GHCR_TOKEN");
        RegistryClient.Builder b = RegistryClient.builder().authFiles(List.of());
        assertThat(o.client(b, Map.of("GHCR_TOKEN", "t0k"))).isNotNull();
        assertThatThrownBy(() -> o.client(b, Map.of()))
                .hasMessage("--registry-auth-env ghcr.io=me:GHCR_TOKEN: environment variable GHCR_TOKEN is not set or empty");
        assertThat(RegistryOptions.parse("--registry-auth", "h:5000=u:p:w", "x"))
                .isEqualTo(new RegistryOptions.Parsed("h:5000", "u", "p:w"));
    }

    @Test
    void basicAuthRegistryWithPasswordsFromTheCommandLineAndTheEnvironment() throws Exception {
        try (LocalRegistry reg = LocalRegistry.builder().basicAuth("bob", "pa:ss").start()) {
            LocalRegistry.Pushed p = reg.push("team/api", "7", Format.OCI, TestImage.linux("amd64")
                    .withEntrypoint("/api").withCmd("-v").withUser("app").withWorkingDir("/w"));
            String image = reg.host() + "/team/api:7";
            Run text = run("inspect", image, "--registry-auth", reg.host() + "=bob:pa:ss");
            assertThat(text.exit()).as(text.err()).isZero();
            assertThat(text.out()).contains("digest:     " + p.digest()).contains("entrypoint: [\"/api\"]")
                    .contains("cmd:        [\"-v\"]").contains("user:       app").contains("workdir:    /w");
            Run wrong = run("inspect", image, "--registry-auth", reg.host() + "=bob:pass");
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(wrong.err()).startsWith("ward image inspect: " + image + ": unauthorized at " + reg.host()
                    + " (the credentials from --registry-auth were refused").doesNotContain("bob:pass");

            // both environment forms, against the registry (System.getenv cannot be set here: the map stands in)
            Map<String, String> env = Map.of("REG_PW", "pa:ss");
            RegistryOptions inline = new RegistryOptions();
            inline.auth = List.of(reg.host() + "=bob:@env:REG_PW");
            RegistryOptions separate = new RegistryOptions();
            separate.authEnv = List.of(reg.host() + "=bob:REG_PW");
            for (RegistryOptions o : List.of(inline, separate)) {
                RegistryClient c = o.client(RegistryClient.builder().authFiles(List.of()).ecr(false), env);
                assertThat(c.config(image, dev.ward.registry.Platform.LINUX_AMD64).entrypoint()).containsExactly("/api");
            }
            assertThatThrownBy(() -> inline.client(RegistryClient.builder(), Map.of()))
                    .hasMessage("--registry-auth " + reg.host() + "=bob:@env:REG_PW: environment variable 'REG_PW' is not set or empty");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
