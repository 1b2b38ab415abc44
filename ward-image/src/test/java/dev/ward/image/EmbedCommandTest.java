package dev.ward.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.registry.ImageConfig;
import dev.ward.registry.Platform;
import dev.ward.registry.RegistryClient;
import dev.ward.registry.testing.LocalRegistry;
import dev.ward.registry.testing.TestImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** ward image embed against a real registry: the entry point it writes, what it keeps and what it refuses. */
@Timeout(600)
class EmbedCommandTest {
    @Test
    void anImagesStopSignalBecomesTheAgentsAndAnEmbeddedImageIsNotEmbeddedTwice() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            TestImage app = TestImage.linux("amd64").withEntrypoint("/docker-entrypoint.sh").withCmd("nginx", "-g",
                    "daemon off;").withUser("101").withStopSignal("SIGQUIT")
                    .withLayer(Map.of("docker-entrypoint.sh", "#!/bin/sh\nexec \"$@\"\n".getBytes(StandardCharsets.UTF_8)));
            registry.push("team/nginx", "1", LocalRegistry.Format.OCI, app);
            String from = registry.host() + "/team/nginx:1";
            String to = registry.host() + "/team/nginx:1-ward";
            Run first = embed(from, to);
            assertThat(first.code()).as(first.err()).isZero();
            assertThat(first.err()).contains("stops with SIGQUIT").contains("runs as user 101");

            ImageConfig embedded = RegistryClient.builder().build().config(to, Platform.LINUX_AMD64);
            List<String> expected = new ArrayList<>(Bundle.PREFIX);
            expected.addAll(List.of("run", "--stop-signal", "SIGQUIT", "--", "/docker-entrypoint.sh", "nginx", "-g",
                    "daemon off;"));
            assertThat(embedded.entrypoint()).isEqualTo(expected);
            assertThat(embedded.cmd()).isEmpty();
            assertThat(embedded.user()).isEqualTo("101");

            Run again = embed(to, registry.host() + "/team/nginx:1-ward-ward");
            assertThat(again.code()).isEqualTo(2);
            assertThat(again.err()).contains("already starts the Ward agent");
        }
    }

    record Run(int code, String err) { }

    private static Run embed(String from, String to) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new EmbedCommand()).execute("--from", from, "--to", to, "--bundle",
                    TestBundle.get().toString());
            return new Run(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }
}
