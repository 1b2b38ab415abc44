package dev.ward.mesh;

import java.net.InetSocketAddress;

/**
 * Who each inbound tunnel delivers for: the inbound HBONE listener connects to the application from a loopback
 * address of its own, which is all the application's accept() sees; this tells the supervisor (through
 * {@link InboundPeerTable}) the real client behind it, so that strict inbound can hand the application that address
 * instead (docs/mesh-capture.md). Called on an event-loop thread: must not block.
 */
public interface InboundPeers {

    InboundPeers NONE = new InboundPeers() {
        @Override
        public void delivered(InetSocketAddress loopbackSource, InetSocketAddress client) {
        }

        @Override
        public void closed(InetSocketAddress loopbackSource) {
        }
    };

    /**
     * The connection to the application from {@code loopbackSource} carries a tunnel of {@code client}. Called once
     * the local socket is bound and before it connects, so the entry is there when the application accepts.
     */
    void delivered(InetSocketAddress loopbackSource, InetSocketAddress client);

    /** The connection from {@code loopbackSource} ended (or never connected): its entry goes. */
    void closed(InetSocketAddress loopbackSource);
}
