package dev.ward.relay.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.api.telemetry.Telemetry;
import dev.ward.api.telemetry.Workload;
import dev.ward.relay.api.Event;
import org.junit.jupiter.api.Test;

/** The agent's events reach the relay with every field it knows in KubeArmor's own place. */
class TelemetryProtosTest {
    private static Telemetry event(String type) {
        Telemetry t = new Telemetry();
        t.timestampNanos = 1_700_000_001_500_000_000L;
        t.type = type;
        t.containerName = "web";
        t.pid = 10;
        t.tid = 11;
        t.uid = 1000;
        t.userName = "app";
        t.cwd = "/srv/";
        t.resource = "/etc/shadow";
        return t;
    }

    @Test
    void alertsCarryCwdUserNameAndTheAgentVersion() {
        Event e = TelemetryProtos.toEvent(event(Telemetry.TYPE_ALERT));
        assertThat(e.getAlert().getCwd()).isEqualTo("/srv/");
        assertThat(e.getAlert().getUserName()).isEqualTo("app");
        assertThat(e.getAlert().getKubeArmorVersion()).startsWith("ward ");
        assertThat(e.getTid()).isEqualTo(11);
        assertThat(e.getCwd()).isEqualTo("/srv/");
        assertThat(e.getAlert().getTimestamp()).isEqualTo(1_700_000_001L);
    }

    @Test
    void logsCarryCwdAndUserName() {
        Event e = TelemetryProtos.toEvent(event(Telemetry.TYPE_LOG));
        assertThat(e.getLog().getCwd()).isEqualTo("/srv/");
        assertThat(e.getLog().getUserName()).isEqualTo("app");
        assertThat(e.getLog().getResource()).isEqualTo("/etc/shadow");
    }

    @Test
    void theWorkloadsIdentityGoesToKubeArmorsFieldsOfAlertsAndLogs() {
        Workload w = Workload.of("pod-1", "payments", "pod-1", "app=shop,kubearmor.io/container.name=web",
                "c0ffee", "web", "shop:1@sha256:aa");
        for (String type : new String[] {Telemetry.TYPE_ALERT, Telemetry.TYPE_LOG}) {
            Telemetry t = event(type);
            t.workload = w;
            Event e = TelemetryProtos.toEvent(t);
            var fields = e.hasAlert()
                    ? new String[] {e.getAlert().getHostName(), e.getAlert().getNamespaceName(),
                            e.getAlert().getPodName(), e.getAlert().getLabels(), e.getAlert().getContainerID(),
                            e.getAlert().getContainerName(), e.getAlert().getContainerImage()}
                    : new String[] {e.getLog().getHostName(), e.getLog().getNamespaceName(), e.getLog().getPodName(),
                            e.getLog().getLabels(), e.getLog().getContainerID(), e.getLog().getContainerName(),
                            e.getLog().getContainerImage()};
            assertThat(fields).as(type).containsExactly("pod-1", "payments", "pod-1",
                    "app=shop,kubearmor.io/container.name=web", "c0ffee", "web", "shop:1@sha256:aa");
        }
    }
}
