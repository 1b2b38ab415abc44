package dev.ward.mesh;

import java.net.InetSocketAddress;

/**
 * Decides whether a verified peer may open a tunnel to a local port (the seam for part 2's AuthorizationPolicy).
 * Called on an event-loop thread for every inbound CONNECT: must not block. A denial answers 401.
 */
@FunctionalInterface
public interface InboundAuthorizer {

    InboundAuthorizer ALLOW_ALL = request -> true;

    boolean allow(Request request);

    /**
     * @param peer        the client's verified SPIFFE ID
     * @param source      the original client address from {@code forwarded: for=}, else the peer's socket address
     * @param destination the {@code :authority} (one of this task's addresses and the application's port)
     */
    record Request(SpiffeId peer, InetSocketAddress source, InetSocketAddress destination) {
    }
}
