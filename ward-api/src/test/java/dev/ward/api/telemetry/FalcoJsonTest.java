package dev.ward.api.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Falco shape of an alert: the fields falcosidekick reads, Falco's names and priorities. */
class FalcoJsonTest {
    private static Telemetry alert() {
        Telemetry t = new Telemetry();
        t.timestampNanos = 1_685_073_936_097_519_123L;
        t.type = Telemetry.TYPE_ALERT;
        t.hostName = "ip-10-0-1-23";
        t.containerName = "web";
        t.pid = 42;
        t.ppid = 7;
        t.uid = 0;
        t.userName = "root";
        t.processName = "/usr/bin/cat";
        t.parentProcessName = "/usr/bin/bash";
        t.policyName = "ward-credential-files";
        t.severity = "8";
        t.atags = List.of("MITRE", "T1552.001");
        t.message = "credential file accessed";
        t.operation = "File";
        t.resource = "/root/.ssh/id_rsa";
        t.data = "syscall=SYS_OPENAT fd=-100 flags=O_RDONLY";
        t.action = "Audit";
        t.result = "Passed";
        return t;
    }

    private static String write(Telemetry t) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonLinesSink sink = new JsonLinesSink(out, false, TelemetryFormat.FALCO)) {
            sink.write(t);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anAlertHasFalcosTopLevelFieldsAndFieldNames() throws Exception {
        String line = write(alert());
        assertThat(line).endsWith("}\n").doesNotContain("\n{");
        assertThat(line).startsWith("{\"time\":\"2023-05-26T04:05:36.097519123Z\",\"rule\":\"ward-credential-files\","
                + "\"priority\":\"Error\",\"output\":\"04:05:36.097519123: Error credential file accessed "
                + "(proc.cmdline=cat fd.name=/root/.ssh/id_rsa user.uid=0 container.name=web ward.action=Audit "
                + "evt.res=Passed)\",\"output_fields\":{\"evt.time\":1685073936097519123,\"evt.type\":\"openat\",");
        assertThat(line).contains("\"proc.name\":\"cat\"", "\"proc.exepath\":\"/usr/bin/cat\"", "\"proc.pid\":42",
                "\"proc.pname\":\"bash\"", "\"fd.name\":\"/root/.ssh/id_rsa\"", "\"user.uid\":0",
                "\"user.name\":\"root\"", "\"container.id\":\"ip-10-0-1-23\"", "\"container.name\":\"web\"");
        assertThat(line).endsWith("},\"tags\":[\"MITRE\",\"T1552.001\"],\"source\":\"syscall\","
                + "\"hostname\":\"ip-10-0-1-23\"}\n");
    }

    @Test
    void aProcessAlertCarriesTheCommandLineAndLogsAreDebug() throws Exception {
        Telemetry t = alert();
        t.operation = "Process";
        t.resource = "/usr/bin/sh -c id";
        t.data = "syscall=SYS_EXECVE";
        assertThat(write(t)).contains("\"proc.cmdline\":\"/usr/bin/sh -c id\"", "\"evt.type\":\"execve\"",
                "\"fd.name\":\"\"");
        t.type = Telemetry.TYPE_LOG;
        assertThat(write(t)).contains("\"rule\":\"ContainerLog\",\"priority\":\"Debug\"");
    }

    @Test
    void severitiesMapToFalcoPriorities() {
        assertThat(List.of("10", "9", "8", "7", "6", "5", "4", "3", "2", "1", "", "x").stream()
                .map(FalcoJson::priority).toList()).containsExactly("Critical", "Critical", "Error", "Error", "Warning",
                        "Warning", "Notice", "Notice", "Informational", "Informational", "Warning", "Warning");
    }

    @Test
    void formatsAreParsedByNameAndABadOneIsNamed() {
        assertThat(TelemetryFormat.parse("--output-format", "Falco")).isEqualTo(TelemetryFormat.FALCO);
        assertThat(TelemetryFormat.parse("--output-format", "kubearmor")).isEqualTo(TelemetryFormat.KUBEARMOR);
        assertThatThrownBy(() -> TelemetryFormat.parse("--output-format", "cef"))
                .hasMessage("--output-format must be kubearmor or falco, got 'cef'");
    }
}
