package dev.ward.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.local.testing.TestImages;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --network}: two tasks on one podman bridge network reach each other by the address their task metadata
 * gives (what Ward's mesh advertises), the metadata endpoint answers on the network's gateway, and the network is
 * created once and reused.
 */
@Timeout(180)
@Tag("container")
class LocalNetworkTest {
    static final String NETWORK = "ward-test-net-" + ProcessHandle.current().pid();

    @AfterAll
    static void removeTheNetwork() {
        LocalPodman.locate(null).run(List.of("network", "rm", "-f", NETWORK));
    }

    @Test
    void tasksOnOneNetworkReachEachOtherAtTheAddressTheirMetadataGives() throws Exception {
        String image = TestImages.busybox();
        LocalOptions options = LocalOptions.builder().network(NETWORK).maxStopTimeout(Duration.ofSeconds(1)).build();
        var server = Tasks.shell("server", image, "while true; do echo hello-from-server | nc -l -p 8080; done");
        var client = Tasks.shell("client", image, "sleep 1000");
        try (LocalTask a = LocalTask.start(Tasks.parse(Tasks.task("server", server)), options);
                LocalTask b = LocalTask.start(Tasks.parse(Tasks.task("client", client)), options)) {
            a.awaitRunning("server", Duration.ofSeconds(30));
            b.awaitRunning("client", Duration.ofSeconds(30));
            JsonNode serverMeta = metadata(a, "server");
            JsonNode net = serverMeta.path("Networks").get(0);
            String address = net.path("IPv4Addresses").get(0).asText();
            assertThat(address).isNotEqualTo("10.0.2.100").matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
            LocalNetwork info = LocalNetwork.ensure(LocalPodman.locate(null), NETWORK);
            assertThat(net.path("IPv4SubnetCIDRBlock").asText()).isEqualTo(info.subnet());
            assertThat(info.contains(java.net.InetAddress.getByName(address))).isTrue();
            assertThat(b.exec("client", "/bin/sh", "-c", "echo \"$ECS_CONTAINER_METADATA_URI_V4\"").out())
                    .startsWith("http://" + info.gateway() + ":");
            String reply = "";
            for (int i = 0; i < 50 && !reply.contains("hello-from-server"); i++) {
                reply = b.exec("client", "/bin/sh", "-c", "nc -w 2 " + address + " 8080 </dev/null").out();
                Thread.sleep(100);
            }
            assertThat(reply).contains("hello-from-server");
            assertThat(metadata(b, "client").path("Networks").get(0).path("IPv4Addresses").get(0).asText())
                    .isNotEqualTo(address);
        }
    }

    @Test
    void aNameThatIsNotABridgeNetworkIsBadInput() {
        LocalOptions host = LocalOptions.builder().network("host").build();
        assertThatThrownBy(() -> LocalTask.start(Tasks.parse(Tasks.task("x", Tasks.shell("x", "unused", "true"))), host))
                .isInstanceOf(LocalException.BadInput.class).hasMessageContaining("--network host: give a bridge");
        LocalOptions bad = LocalOptions.builder().network("no/slash").build();
        assertThatThrownBy(() -> LocalTask.start(Tasks.parse(Tasks.task("x", Tasks.shell("x", "unused", "true"))), bad))
                .isInstanceOf(LocalException.BadInput.class).hasMessageContaining("expected a podman network name");
    }

    /** The container's metadata once it has the pod's address (found in the background, when the pod runs). */
    private static JsonNode metadata(LocalTask t, String container) throws Exception {
        for (int i = 0; ; i++) {
            Podman.Result r = t.exec(container, "/bin/sh", "-c", "wget -qO- \"$ECS_CONTAINER_METADATA_URI_V4\"");
            assertThat(r.ok()).as(r.err()).isTrue();
            JsonNode meta = Tasks.JSON.readTree(r.out());
            if (meta.path("Networks").get(0).has("IPv4Addresses") || i == 100) {
                return meta;
            }
            Thread.sleep(100);
        }
    }
}
