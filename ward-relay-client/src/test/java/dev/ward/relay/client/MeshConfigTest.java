package dev.ward.relay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeshConfigTest {

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>(Map.of("RELAYSERVERURL", "relay:32767"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void offUnlessAskedFor() {
        assertThat(MeshConfig.fromEnv(env())).isNull();
        assertThat(MeshConfig.fromEnv(env("WARD_MESH", "off"))).isNull();
    }

    @Test
    void defaultsAreZtunnelsPortsAnHourAndCaptureWithoutStrict() {
        MeshConfig c = MeshConfig.fromEnv(env("WARD_MESH", "on", "WARD_MESH_ADDRESS", "10.0.1.5, fd00::5"));
        assertThat(c.proxyPort()).isEqualTo(15080);
        assertThat(c.capturePort()).isEqualTo(15001);
        assertThat(c.hbonePort()).isEqualTo(15008);
        assertThat(c.ttl()).isEqualTo(Duration.ofHours(1));
        assertThat(c.capture()).isTrue();
        assertThat(c.strictOn(8080)).isFalse();
        assertThat(c.rootNamespace()).isEqualTo("istio-system");
        assertThat(c.addresses()).extracting(a -> a.getHostAddress()).containsExactly("10.0.1.5", "fd00:0:0:0:0:0:0:5");
    }

    @Test
    void strictCoversEveryPortOrTheListedOnes() {
        assertThat(MeshConfig.fromEnv(env("WARD_MESH", "on", "WARD_MESH_INBOUND", "strict")).strictOn(9090)).isTrue();
        MeshConfig some = MeshConfig.fromEnv(env("WARD_MESH", "on", "WARD_MESH_INBOUND", "strict",
                "WARD_MESH_STRICT_PORTS", "8080,8443"));
        assertThat(some.strictOn(8080)).isTrue();
        assertThat(some.strictOn(9090)).isFalse();
    }

    @Test
    void badSettingsSayWhatWasExpected() {
        assertThatThrownBy(() -> MeshConfig.fromEnv(env("WARD_MESH", "maybe")))
                .hasMessageContaining("WARD_MESH=maybe: expected on or off");
        assertThatThrownBy(() -> MeshConfig.fromEnv(env("WARD_MESH", "on", "WARD_MESH_INBOUND", "loose")))
                .hasMessageContaining("expected sg").hasMessageContaining("strict");
        assertThatThrownBy(() -> MeshConfig.fromEnv(env("WARD_MESH", "on", "WARD_MESH_ADDRESS", "task.local")))
                .hasMessageContaining("'task.local' is not an IP address");
        assertThatThrownBy(() -> MeshConfig.fromEnv(env("WARD_MESH", "on", "WARD_MESH_HBONE_PORT", "70000")))
                .hasMessageContaining("WARD_MESH_HBONE_PORT=70000: expected a port number");
        Map<String, String> noRelay = new HashMap<>(Map.of("WARD_MESH", "on"));
        assertThatThrownBy(() -> MeshConfig.fromEnv(noRelay)).hasMessageContaining("needs RELAYSERVERURL");
    }
}
