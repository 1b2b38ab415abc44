package dev.ward.relay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelayConfigTest {
    @Test
    void withoutRelayServerUrlThePluginStaysOff() throws Exception {
        assertThat(RelayConfig.fromEnv(Map.of())).isNull();
        FakeContext ctx = new FakeContext(Map.of("WARD_RELAY_TOKEN", "t"));
        RelayPlugin plugin = new RelayPlugin();
        plugin.start(ctx);
        plugin.stop();
        assertThat(ctx.sinks).isEmpty();
        assertThat(ctx.expected).isNull();
    }

    @Test
    void addressesFollowKubeArmorsEcsConventions() {
        RelayConfig http = RelayConfig.fromEnv(Map.of("RELAYSERVERURL", "http://relay.example:8080",
                "WARD_RELAY_TOKEN", "t"));
        assertThat(http.host()).isEqualTo("relay.example");
        assertThat(http.port()).isEqualTo(8080);
        assertThat(http.tls()).isFalse();
        assertThat(RelayConfig.fromEnv(Map.of("RELAYSERVERURL", "http://relay", "WARD_RELAY_TOKEN", "t")).port())
                .isEqualTo(80);
        RelayConfig https = RelayConfig.fromEnv(Map.of("RELAYSERVERURL", "https://relay/", "WARD_RELAY_TOKEN", "t"));
        assertThat(https.tls()).isTrue();
        assertThat(https.port()).isEqualTo(443);
        RelayConfig bare = RelayConfig.fromEnv(Map.of("RELAYSERVERURL", "10.0.0.5", "WARD_RELAY_TOKEN", "t",
                "WARD_REQUIRE_POLICY_TIMEOUT", "90s", "WARD_RELAY_BUFFER", "77"));
        assertThat(bare.port()).isEqualTo(32767);
        assertThat(bare.policyTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(bare.bufferSize()).isEqualTo(77);
    }

    @Test
    void configurationMistakesSayHowToFixThem() {
        assertThatThrownBy(() -> RelayConfig.fromEnv(Map.of("RELAYSERVERURL", "http://relay:1")))
                .hasMessageContaining("WARD_RELAY_TOKEN").hasMessageContaining("secrets");
        assertThatThrownBy(() -> RelayConfig.fromEnv(Map.of("RELAYSERVERURL", "ftp://relay", "WARD_RELAY_TOKEN", "t")))
                .hasMessageContaining("unsupported scheme").hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> RelayConfig.fromEnv(Map.of("RELAYSERVERURL", "relay", "WARD_RELAY_TOKEN", "t",
                "WARD_RELAY_BUFFER", "-3"))).hasMessageContaining("WARD_RELAY_BUFFER=-3");
        assertThatThrownBy(() -> RelayConfig.fromEnv(Map.of("RELAYSERVERURL", "relay", "WARD_RELAY_TOKEN", "t",
                "WARD_REQUIRE_POLICY_TIMEOUT", "soon"))).hasMessageContaining("30s");
    }

    @Test
    void thePluginAddsItsSinkAndAnnouncesPolicies() throws Exception {
        FakeContext ctx = new FakeContext(Map.of("RELAYSERVERURL", "127.0.0.1:1", "WARD_RELAY_TOKEN", "t",
                "WARD_REQUIRE_POLICY_TIMEOUT", "5s", "WARD_RELAY_DRAIN_TIMEOUT", "0s"));
        RelayPlugin plugin = new RelayPlugin();
        plugin.start(ctx);
        try {
            assertThat(ctx.sinks).singleElement().isInstanceOf(RelaySink.class);
            assertThat(ctx.expected).isEqualTo(Duration.ofSeconds(5));
        } finally {
            plugin.stop();
        }
    }
}
