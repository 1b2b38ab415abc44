package dev.ward.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.registry.testing.LocalRegistry;
import dev.ward.registry.testing.TestImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command as users run it: errors with file, line and field; nothing written on failure; the real registry. */
class InjectCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run inject(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new InjectCommand()).execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void invalidJsonNamesTheLineAndColumnAndWritesNothing() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\n  \"family\": \"x\",\n  \"containerDefinitions\": [\n    {\"name\": }\n  ]\n}\n");
        Path out = dir.resolve("out.json");
        Run r = inject(bad.toString(), "-o", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bad.json:4:").contains("invalid JSON");
        assertThat(out).doesNotExist();
    }

    @Test
    void aPlainTokenIsRefused() throws Exception {
        Run r = inject(Path.of("src/test/resources/inputs/kubearmor-socat-sample.json").toString(), "--env",
                "WARD_RELAY_TOKEN=s3cret");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--relay-token-secret").doesNotContain("s3cret");
    }

    @Test
    void readsTheEntrypointFromTheImageInARealRegistry() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            TestImage image = TestImage.linux("amd64").withEntrypoint("/docker-entrypoint.sh")
                    .withCmd("nginx", "-g", "daemon off;").withUser("101");
            registry.push("web", "1", LocalRegistry.Format.OCI, image);
            Path td = Files.writeString(dir.resolve("td.json"), """
                    {"family": "web", "containerDefinitions": [{"name": "web", "image": "%s/web:1", "essential": true}]}
                    """.formatted(registry.host()));
            Path out = dir.resolve("out.json");
            Run r = inject(td.toString(), "-o", out.toString());
            assertThat(r.code()).as(r.err()).isZero();
            String json = Files.readString(out);
            assertThat(json).contains("\"/docker-entrypoint.sh\",\n        \"nginx\",\n        \"-g\",\n        \"daemon off;\"");
            assertThat(json).contains("\"user\": \"101\"").doesNotContain("SYS_PTRACE");
            assertThat(r.err()).contains("runs as user 101");

            Path missing = Files.writeString(dir.resolve("missing.json"), """
                    {"family": "web", "containerDefinitions": [{"name": "api", "image": "%s/nope:1"}]}
                    """.formatted(registry.host()));
            Run bad = inject(missing.toString(), "-o", dir.resolve("never.json").toString());
            assertThat(bad.code()).isEqualTo(1);
            assertThat(bad.err()).contains("container api").contains("nope:1").contains("nothing was written");
            assertThat(dir.resolve("never.json")).doesNotExist();
        }
    }
}
