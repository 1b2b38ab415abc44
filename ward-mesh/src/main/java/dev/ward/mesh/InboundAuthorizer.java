package dev.ward.mesh;

import java.net.InetSocketAddress;

/**
 * Decides whether a verified peer may open a tunnel to a local port, and, when the workload's policies need HTTP,
 * each request inside it. Called on an event-loop thread for every inbound CONNECT: must not block.
 *
 * <p>Without L7 policies ({@link #http} returns null, the default) {@link #allow} decides the tunnel once: a denial
 * answers 401 and the bytes are spliced unparsed. With them, the CONNECT is answered 200 and the
 * {@link InboundHttp} decides every HTTP/1.1 request or h2c stream of the tunnel (403 {@code RBAC: access denied}
 * when denied), or the whole tunnel when its traffic is not HTTP.
 */
@FunctionalInterface
public interface InboundAuthorizer {

    InboundAuthorizer ALLOW_ALL = request -> true;

    boolean allow(Request request);

    /**
     * The per-request authorizer of a tunnel whose policies have L7 fields, or null when none has (the default):
     * then {@link #allow} alone decides and nothing is parsed.
     */
    default InboundHttp http(Request request) {
        return null;
    }

    /**
     * @param peer        the client's verified SPIFFE ID
     * @param source      the original client address from {@code forwarded: for=}, else the peer's socket address
     * @param destination the {@code :authority} (one of this task's addresses and the application's port)
     */
    record Request(SpiffeId peer, InetSocketAddress source, InetSocketAddress destination) {
    }
}
