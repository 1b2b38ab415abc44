package dev.ward.mesh;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link InboundPeers} the agent keeps: loopback source of each open delivery connection to real client. Its
 * size is the number of open inbound tunnels, since every entry goes when its connection closes. Filled on the
 * mesh's event loops, read by the supervisor's tracer thread ({@link #clientOf}), both without blocking.
 */
public final class InboundPeerTable implements InboundPeers {
    private final Map<InetSocketAddress, InetSocketAddress> clients = new ConcurrentHashMap<>();

    @Override
    public void delivered(InetSocketAddress loopbackSource, InetSocketAddress client) {
        clients.put(loopbackSource, client);
    }

    @Override
    public void closed(InetSocketAddress loopbackSource) {
        clients.remove(loopbackSource);
    }

    /** The real client of the delivery connection from {@code loopbackSource}; empty when it is not one. */
    public Optional<InetSocketAddress> clientOf(InetSocketAddress loopbackSource) {
        return Optional.ofNullable(clients.get(loopbackSource));
    }

    /** Open delivery connections. */
    public int size() {
        return clients.size();
    }
}
