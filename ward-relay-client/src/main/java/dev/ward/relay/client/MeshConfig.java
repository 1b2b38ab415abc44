package dev.ward.relay.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mesh's settings, from the agent's environment.
 *
 * <ul>
 *   <li>{@code WARD_MESH=on}: the task joins the mesh (needs RELAYSERVERURL: the relay is the mesh's CA).</li>
 *   <li>{@code WARD_MESH_TOKEN}: an enrollment token from {@code ward mesh enroll NS/SA} (outside AWS); on ECS the
 *       task role proves the identity instead, and {@code ward mesh bind NS/SA --role ARN} says which.</li>
 *   <li>{@code WARD_MESH_ADDRESS}: the task's addresses, comma-separated (default: the task metadata, else the
 *       addresses of the task's network interfaces).</li>
 *   <li>{@code WARD_MESH_TTL}: certificate lifetime asked for (default 1h; the relay caps it).</li>
 *   <li>{@code WARD_REQUIRE_MESH=1}: hold the workload until its certificate exists
 *       ({@code WARD_REQUIRE_MESH_TIMEOUT}, default 30s).</li>
 *   <li>{@code WARD_MESH_INBOUND=strict}: the application's wildcard TCP binds are made on the loopback, so that
 *       only the mesh reaches them from outside the task ({@code WARD_MESH_STRICT_PORTS}: only these ports);
 *       default {@code sg}: the security group keeps plaintext out.</li>
 *   <li>{@code WARD_MESH_ROOT_NAMESPACE}: AuthorizationPolicies in this namespace apply to every workload
 *       (default istio-system, as in Istio).</li>
 *   <li>{@code WARD_MESH_CAPTURE=off}: no transparent capture of connect() (the proxy port still works).</li>
 *   <li>{@code WARD_MESH_PROXY_PORT} (15080), {@code WARD_MESH_CAPTURE_PORT} (15001), {@code WARD_MESH_HBONE_PORT}
 *       (15008).</li>
 * </ul>
 */
record MeshConfig(String token, List<InetAddress> addresses,
        Duration ttl, boolean require, Duration requireTimeout, boolean capture, boolean strict, Set<Integer> strictPorts, String rootNamespace,
        int proxyPort, int capturePort, int hbonePort) {

    /** Null when the mesh is off. */
    static MeshConfig fromEnv(Map<String, String> env) {
        String on = env.getOrDefault("WARD_MESH", "").strip().toLowerCase(Locale.ROOT);
        if (on.isEmpty() || on.equals("off") || on.equals("0") || on.equals("false")) {
            return null;
        }
        if (!on.equals("on") && !on.equals("1") && !on.equals("true")) {
            throw new IllegalArgumentException("WARD_MESH=" + on + ": expected on or off");
        }
        if (env.getOrDefault("RELAYSERVERURL", "").isBlank()) {
            throw new IllegalArgumentException("WARD_MESH=on needs RELAYSERVERURL: the relay issues the task's "
                    + "mesh identity (run `ward relay` and give its address)");
        }
        return new MeshConfig(env.getOrDefault("WARD_MESH_TOKEN", "").strip(),
                addresses(env.getOrDefault("WARD_MESH_ADDRESS", "")),
                RelayConfig.duration(env, "WARD_MESH_TTL", Duration.ofHours(1)),
                flag(env, "WARD_REQUIRE_MESH", false),
                RelayConfig.duration(env, "WARD_REQUIRE_MESH_TIMEOUT", Duration.ofSeconds(30)),
                flag(env, "WARD_MESH_CAPTURE", true),
                inbound(env.getOrDefault("WARD_MESH_INBOUND", "").strip()),
                ports(env.getOrDefault("WARD_MESH_STRICT_PORTS", "")),
                env.getOrDefault("WARD_MESH_ROOT_NAMESPACE", "").isBlank() ? "istio-system"
                        : env.get("WARD_MESH_ROOT_NAMESPACE").strip(),
                port(env, "WARD_MESH_PROXY_PORT", 15080),
                port(env, "WARD_MESH_CAPTURE_PORT", 15001),
                port(env, "WARD_MESH_HBONE_PORT", 15008));
    }

    private static List<InetAddress> addresses(String value) {
        List<InetAddress> out = new ArrayList<>();
        for (String a : value.split(",")) {
            String s = a.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (!s.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
                throw new IllegalArgumentException("WARD_MESH_ADDRESS: '" + s + "' is not an IP address");
            }
            try {
                out.add(InetAddress.getByName(s));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("WARD_MESH_ADDRESS: '" + s + "' is not an IP address");
            }
        }
        return List.copyOf(out);
    }

    private static boolean inbound(String mode) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "", "sg" -> false;
            case "strict" -> true;
            default -> throw new IllegalArgumentException("WARD_MESH_INBOUND=" + mode + ": expected sg (the security "
                    + "group keeps plaintext out, the default) or strict (the application's wildcard binds are moved "
                    + "to the loopback)");
        };
    }

    /** WARD_MESH_STRICT_PORTS: the ports strict mode moves (empty: every port). */
    private static Set<Integer> ports(String value) {
        Set<Integer> out = new TreeSet<>();
        for (String p : value.split(",")) {
            if (!p.isBlank()) {
                out.add(port(Map.of("WARD_MESH_STRICT_PORTS", p.strip()), "WARD_MESH_STRICT_PORTS", 0));
            }
        }
        return Set.copyOf(out);
    }

    /** Strict inbound applies to this port. */
    boolean strictOn(int port) {
        return strict && (strictPorts.isEmpty() || strictPorts.contains(port));
    }

    private static boolean flag(Map<String, String> env, String key, boolean dflt) {
        String v = env.getOrDefault(key, "").strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "" -> dflt;
            case "1", "on", "true", "yes" -> true;
            case "0", "off", "false", "no" -> false;
            default -> throw new IllegalArgumentException(key + "=" + v + ": expected on or off");
        };
    }

    private static int port(Map<String, String> env, String key, int dflt) {
        String v = env.getOrDefault(key, "").strip();
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            int p = Integer.parseInt(v);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + "=" + v + ": expected a port number (0 to 65535)");
    }
}
