package dev.ward.relay.client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.ward.relay.api.Durations;
import java.time.Duration;
import java.util.Map;

/**
 * The relay client's settings, read from the agent's environment (ECS task definition {@code environment}
 * and {@code secrets}).
 *
 * <ul>
 *   <li>{@code RELAYSERVERURL}: {@code http://host:port} (plaintext; port 80 when absent, as KubeArmor's ECS
 *       guide says), {@code https://host:port} (TLS; 443), or {@code host:port} (plaintext; 32767).</li>
 *   <li>{@code WARD_RELAY_TOKEN}: the agent token (required; put it in the task's {@code secrets}).</li>
 *   <li>{@code WARD_RELAY_CA}: a PEM file with the CA that signed the relay's certificate (https only;
 *       the system trust store otherwise).</li>
 *   <li>{@code WARD_RELAY_BUFFER}: events kept while the relay is slow or away (default 10000).</li>
 *   <li>{@code WARD_REQUIRE_POLICY_TIMEOUT}: how long WARD_REQUIRE_POLICY=1 waits (default 30s).</li>
 * </ul>
 */
record RelayConfig(String host, int port, boolean tls, Path caFile, String token, int bufferSize,
        Duration policyTimeout, Duration drainTimeout) {
    static final int DEFAULT_PORT = 32767;

    /** Null when RELAYSERVERURL is unset: the plugin then stays out of the way. */
    static RelayConfig fromEnv(Map<String, String> env) {
        String url = env.getOrDefault("RELAYSERVERURL", "").strip();
        if (url.isEmpty()) {
            return null;
        }
        String token = env.getOrDefault("WARD_RELAY_TOKEN", "").strip();
        if (token.isEmpty()) {
            throw new IllegalArgumentException("RELAYSERVERURL is set but WARD_RELAY_TOKEN is not: give the agent "
                    + "the relay's agent token (on ECS as a task definition 'secrets' entry)");
        }
        boolean tls;
        String hostPort;
        int defaultPort;
        if (url.startsWith("https://")) {
            tls = true;
            defaultPort = 443;
            hostPort = url.substring(8);
        } else if (url.startsWith("http://")) {
            tls = false;
            defaultPort = 80;
            hostPort = url.substring(7);
        } else if (url.contains("://")) {
            throw new IllegalArgumentException("RELAYSERVERURL=" + url
                    + ": unsupported scheme (expected http://HOST:PORT, https://HOST:PORT or HOST:PORT)");
        } else {
            tls = false;
            defaultPort = DEFAULT_PORT;
            hostPort = url;
        }
        int slash = hostPort.indexOf('/');
        if (slash >= 0) {
            hostPort = hostPort.substring(0, slash);
        }
        URI parsed;
        try {
            parsed = URI.create("tcp://" + hostPort);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("RELAYSERVERURL=" + url + ": not a valid address (expected HOST:PORT)");
        }
        if (parsed.getHost() == null) {
            throw new IllegalArgumentException("RELAYSERVERURL=" + url + ": no host name (expected HOST:PORT)");
        }
        int port = parsed.getPort() < 0 ? defaultPort : parsed.getPort();
        Path ca = null;
        String caEnv = env.getOrDefault("WARD_RELAY_CA", "").strip();
        if (!caEnv.isEmpty()) {
            ca = Path.of(caEnv);
            if (!Files.isReadable(ca)) {
                throw new IllegalArgumentException("WARD_RELAY_CA=" + caEnv + ": cannot read the file (expected a PEM "
                        + "CA certificate)");
            }
        }
        return new RelayConfig(parsed.getHost(), port, tls, ca, token,
                positive(env, "WARD_RELAY_BUFFER", 10_000),
                duration(env, "WARD_REQUIRE_POLICY_TIMEOUT", Duration.ofSeconds(30)),
                duration(env, "WARD_RELAY_DRAIN_TIMEOUT", Duration.ofSeconds(5)));
    }

    private static int positive(Map<String, String> env, String key, int dflt) {
        String v = env.getOrDefault(key, "").strip();
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + "=" + v + ": expected a positive number");
    }

    /** Accepts Go-style durations as the agent's other settings do: 500ms, 30s, 2m. */
    static Duration duration(Map<String, String> env, String key, Duration dflt) {
        String v = env.getOrDefault(key, "").strip();
        if (v.isEmpty()) {
            return dflt;
        }
        Duration d = Durations.parse(v);
        if (d == null) {
            throw new IllegalArgumentException(key + "=" + v + ": expected a duration such as 500ms, 30s or 2m");
        }
        return d;
    }
}
