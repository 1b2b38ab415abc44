package dev.ward.mesh;

import java.util.concurrent.atomic.LongAdder;

/** What the mesh has done since it started; updated from event-loop threads, read from anywhere. */
public final class MeshCounters {

    private final LongAdder inboundTunnels = new LongAdder();
    private final LongAdder inboundRefused = new LongAdder();
    private final LongAdder outboundMeshed = new LongAdder();
    private final LongAdder outboundPassthrough = new LongAdder();
    private final LongAdder outboundFailed = new LongAdder();
    private final LongAdder hboneConnections = new LongAdder();
    private final LongAdder handshakeFailures = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder faults = new LongAdder();

    /**
     * @param inboundTunnels      inbound CONNECTs answered 200
     * @param inboundRefused      inbound CONNECTs answered 400, 401 or 503
     * @param outboundMeshed      outbound connections carried in HBONE
     * @param outboundPassthrough outbound connections passed through in plain TCP
     * @param outboundFailed      outbound connections that could not be opened (or were not allowed)
     * @param hboneConnections    TLS + HTTP/2 connections opened to peers (the pool's misses)
     * @param handshakeFailures   TLS handshakes that failed, in either direction (refused peers included)
     * @param bytes               application bytes spliced, both directions, all connections
     * @param faults              unexpected exceptions caught inside the mesh
     */
    public record Snapshot(long inboundTunnels, long inboundRefused, long outboundMeshed, long outboundPassthrough,
                           long outboundFailed, long hboneConnections, long handshakeFailures, long bytes,
                           long faults) {
    }

    public Snapshot snapshot() {
        return new Snapshot(inboundTunnels.sum(), inboundRefused.sum(), outboundMeshed.sum(),
                outboundPassthrough.sum(), outboundFailed.sum(), hboneConnections.sum(), handshakeFailures.sum(),
                bytes.sum(), faults.sum());
    }

    public void inboundTunnel() {
        inboundTunnels.increment();
    }

    public void inboundRefused() {
        inboundRefused.increment();
    }

    public void outboundMeshed() {
        outboundMeshed.increment();
    }

    public void outboundPassthrough() {
        outboundPassthrough.increment();
    }

    public void outboundFailed() {
        outboundFailed.increment();
    }

    public void hboneConnection() {
        hboneConnections.increment();
    }

    public void handshakeFailure() {
        handshakeFailures.increment();
    }

    public void bytes(long n) {
        bytes.add(n);
    }

    public void fault() {
        faults.increment();
    }
}
