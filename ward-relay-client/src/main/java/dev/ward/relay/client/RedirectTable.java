package dev.ward.relay.client;

import dev.ward.api.spi.ConnectCapture;
import dev.ward.mesh.InboundPeerTable;
import dev.ward.mesh.PeerDirectory;
import dev.ward.mesh.Redirect;
import dev.ward.mesh.Redirects;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * Between the supervisor and the capture port: the tracer asks which connects go to the mesh (destinations that
 * discovery says are meshed) and records, right after it connected the application's socket to the capture port,
 * which local address stands for which original destination; the capture port claims the entry when it accepts
 * (waiting for it a little if it accepted first). An
 * entry never claimed (the application closed the socket first) expires after {@link #TTL_NANOS}. With strict
 * inbound it also answers, from the mesh's {@link InboundPeerTable}, the real client of each connection the inbound
 * port delivered to the application. It decides the workload's direct connects to destinations outside the mesh by
 * the egress policies in force at each connect ({@link LiveEgress}: the relay may change them at any time).
 */
final class RedirectTable implements ConnectCapture, Redirects {
    static final long TTL_NANOS = 30_000_000_000L;
    private static final int MAX = 65_536;

    private final PeerDirectory directory;
    private final InetSocketAddress capture;
    private final boolean captureOn;
    private final boolean strict;
    private final IntPredicate loopbackOnly;
    private final InboundPeerTable inbound;
    private final Map<InetSocketAddress, Entry> pending = new ConcurrentHashMap<>();
    private final Supplier<MeshEgress> egress;

    private record Entry(Redirect redirect, long at) {
    }

    /**
     * {@code captureOn}: redirect connects to meshed destinations; {@code strict}: strict inbound is on, and
     * {@code loopbackOnly} says which ports' wildcard binds it moves to the loopback; {@code inbound}: the mesh's
     * deliveries, by loopback source; {@code egress}: the egress policies in force (null: none), one volatile read.
     */
    RedirectTable(PeerDirectory directory, InetSocketAddress capture, boolean captureOn, boolean strict,
            IntPredicate loopbackOnly, InboundPeerTable inbound, Supplier<MeshEgress> egress) {
        this.directory = directory;
        this.capture = capture;
        this.captureOn = captureOn;
        this.strict = strict;
        this.loopbackOnly = loopbackOnly;
        this.inbound = inbound;
        this.egress = egress;
    }

    /**
     * The capture port for a meshed destination (capture on), and for one outside the mesh whose egress decision
     * depends on the server's name (read there from the first bytes); else null.
     */
    @Override
    public InetSocketAddress redirect(InetSocketAddress destination, int pid) {
        InetAddress ip = destination.getAddress();
        if (ip == null) {
            return null;
        }
        if (directory.peerAt(ip).isPresent()) {
            return captureOn ? capture : null;
        }
        MeshEgress e = egress.get();
        return e != null && e.dependsOnName(destination, pid) ? capture : null;
    }

    @Override
    public boolean egressOn() {
        return egress.get() != null;
    }

    /** A direct connect outside the mesh: the egress policies decide (a mesh peer is its inbound policy's). */
    @Override
    public int egress(InetSocketAddress destination, int pid, String processName) {
        MeshEgress e = egress.get();
        InetAddress ip = destination.getAddress();
        return e == null || ip == null || directory.peerAt(ip).isPresent() ? 0
                : e.connect(destination, pid, processName);
    }

    @Override
    public boolean loopbackOnly(int port) {
        return loopbackOnly.test(port);
    }

    @Override
    public boolean strictInbound() {
        return strict;
    }

    @Override
    public InetSocketAddress realPeer(InetSocketAddress loopbackPeer) {
        return inbound.clientOf(loopbackPeer).orElse(null);
    }

    @Override
    public void redirected(InetSocketAddress localSource, InetSocketAddress originalDestination, int pid, int tid,
            String processName) {
        long now = System.nanoTime();
        if (pending.size() >= MAX) {
            expire(now);
        }
        pending.put(localSource, new Entry(new Redirect(originalDestination, pid, processName), now));
    }

    @Override
    public Optional<Redirect> claim(InetSocketAddress clientAddress) {
        Entry e = pending.remove(clientAddress);
        return e == null ? Optional.empty() : Optional.of(e.redirect());
    }

    int size() {
        return pending.size();
    }

    private void expire(long now) {
        for (Iterator<Entry> it = pending.values().iterator(); it.hasNext(); ) {
            if (now - it.next().at() > TTL_NANOS) {
                it.remove();
            }
        }
    }
}
