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

    @Test
    void theWorkloadsFieldsComeInKubeArmorsOrderAfterUpdatedTime() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLinesSink sink = new JsonLinesSink(out, false);
        Telemetry t = new Telemetry();
        t.timestampNanos = 1_685_073_936_097_519_000L;
        t.type = Telemetry.TYPE_ALERT;
        t.hostName = "ignored when the workload is set";
        t.workload = Workload.of("pod-1", "default", "pod-1", "a=\"b\",kubearmor.io/container.name=c", "", "c",
                "docker.io/x/y:1@sha256:ab");
        t.pid = 7;
        sink.write(t);
        sink.flush();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("{\"Timestamp\":1685073936,\"UpdatedTime\":"
                + "\"2023-05-26T04:05:36.097519Z\",\"HostName\":\"pod-1\",\"NamespaceName\":\"default\",\"PodName\":"
                + "\"pod-1\",\"Labels\":\"a=\\\"b\\\",kubearmor.io/container.name=c\",\"ContainerName\":\"c\","
                + "\"ContainerImage\":\"docker.io/x/y:1@sha256:ab\",\"HostPPID\":0,");
    }

    @Test
    void anEmptyWorkloadWritesNoFields() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLinesSink sink = new JsonLinesSink(out, false);
        Telemetry t = new Telemetry();
        t.workload = Workload.of(null, "", null, "", "", "", "");
        sink.write(t);
        sink.flush();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("{\"Timestamp\":0,\"UpdatedTime\":"
                + "\"1970-01-01T00:00:00.000000Z\",\"HostPPID\":0,");
    }
}
