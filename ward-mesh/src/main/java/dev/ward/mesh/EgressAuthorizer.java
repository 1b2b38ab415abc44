package dev.ward.mesh;

import dev.ward.mesh.MeshConnection.Via;
import java.net.InetSocketAddress;

/**
 * Decides the workload's outbound connections to destinations outside the mesh (egress policies); meshed
 * destinations are decided by their own inbound policy instead. Called on an event-loop thread for every such
 * connection of the proxy ports: must not block. A denial answers SOCKS5 0x02 (connection not allowed by ruleset),
 * HTTP 403, or resets a captured connection.
 *
 * <pre>{@code
 * EgressAuthorizer onlyStripe = r -> "api.stripe.com".equalsIgnoreCase(r.host()) && r.destination().getPort() == 443;
 * }</pre>
 */
@FunctionalInterface
public interface EgressAuthorizer {

    EgressAuthorizer ALLOW_ALL = new EgressAuthorizer() {
        @Override
        public boolean allow(Request request) {
            return true;
        }

        @Override
        public boolean on() {
            return false;
        }
    };

    boolean allow(Request request);

    /**
     * Whether any egress policy applies: when it does, the proxy finds the process of each client (a lookup in
     * /proc, off the event loop) before it asks {@link #allow}.
     */
    default boolean on() {
        return true;
    }

    /**
     * Whether rules name hosts: a captured connection outside the mesh (the supervisor redirects those only when
     * the name can change the decision) is then held until its first bytes give the server's name (TLS SNI, HTTP
     * Host), at most a few hundred milliseconds.
     */
    default boolean namesHosts() {
        return false;
    }

    /**
     * @param via         how the connection reached the proxy
     * @param client      the client's address on the proxy port
     * @param host        the name the client asked for (SOCKS5 {@code socks5h}, HTTP CONNECT or an absolute URL),
     *                    null when it gave an address only
     * @param destination where the connection goes (the name resolved)
     * @param pid         the client's process when known, else 0
     * @param processName its executable's path when known, else ""
     */
    record Request(Via via, InetSocketAddress client, String host, InetSocketAddress destination, int pid,
                   String processName) {
    }
}
