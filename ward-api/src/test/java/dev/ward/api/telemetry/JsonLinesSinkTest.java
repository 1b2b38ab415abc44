package dev.ward.api.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLinesSinkTest {
    @Test
    void jsonLinesAreOneObjectPerLineWithKubeArmorNames() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLinesSink sink = new JsonLinesSink(out, false);
        Telemetry t = new Telemetry();
        t.timestampNanos = 1_685_073_936_097_519_000L;
        t.type = Telemetry.TYPE_ALERT;
        t.operation = "File";
        t.resource = "/run/secrets/kubernetes.io/serviceaccount/token";
        t.atags = java.util.List.of("NIST");
        t.message = "line\nbreak \"quoted\"";
        sink.write(t);
        sink.write(t);
        sink.flush();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("{\"Timestamp\":1685073936,\"UpdatedTime\":\"2023-05-26T04:05:36.097519Z\"")
                .contains("\"ATags\":[\"NIST\"]").contains("\"Message\":\"line\\nbreak \\\"quoted\\\"\"")
                .doesNotContain("\"PolicyName\"");
    }
}
