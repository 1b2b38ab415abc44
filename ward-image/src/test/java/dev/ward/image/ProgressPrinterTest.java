package dev.ward.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.registry.Descriptor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The push display: plain lines for logs, a bar redrawn in place on a terminal. */
class ProgressPrinterTest {
    private static final Descriptor LAYER = new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip",
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 40_000_000);
    private static final Descriptor BASE = new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip",
            "sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210", 3_000_000);

    private static String run(boolean terminal) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal,
                "ward image embed: ");
        p.finished(BASE, "mounted");
        p.started(LAYER, "push");
        p.advanced(LAYER, 10_000_000);
        p.advanced(LAYER, 40_000_000);
        p.finished(LAYER, "pushed");
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutATerminalEachBlobIsAPlainLineWhenItStartsAndWhenItIsDone() {
        assertThat(run(false)).isEqualTo("""
                ward image embed: mounted sha256:fedcba987654
                ward image embed: push sha256:0123456789ab (40.0 MB)
                ward image embed: pushed sha256:0123456789ab (40.0 MB)
                """);
    }

    @Test
    void onATerminalTheLineIsRedrawnWithABarAndEndsWithTheOutcome() {
        String out = run(true);
        assertThat(out).startsWith("\rward image embed: mounted sha256:fedcba987654\033[K\n");
        assertThat(out).contains("\rward image embed: push sha256:0123456789ab [------------------------]   0% "
                + "0.0 MB / 40.0 MB\033[K");
        assertThat(out).endsWith("\rward image embed: pushed sha256:0123456789ab (40.0 MB)\033[K\n");
        assertThat(out.chars().filter(c -> c == '\n').count()).as("one finished line per blob").isEqualTo(2);
    }
}
