package dev.ward.mesh.hbone;

import dev.ward.mesh.MeshCounters;
import dev.ward.mesh.MeshPeer;
import dev.ward.mesh.MeshSettings;
import dev.ward.mesh.SpiffeId;
import dev.ward.mesh.net.Transport;
import dev.ward.mesh.tls.MeshTls;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * HBONE connections per (peer identity, peer HBONE address), as ztunnel pools them: a connection carries up to
 * {@link MeshSettings#maxStreamsPerConnection()} concurrent streams (100), then another is opened; one without
 * streams for {@link MeshSettings#poolIdle()} (5 minutes) is closed. Thread-safe (one lock, held briefly).
 */
public final class HbonePool implements AutoCloseable {

    private final Transport transport;
    private final MeshTls tls;
    private final MeshSettings settings;
    private final MeshCounters counters;
    private final Map<Key, List<HboneConnection>> connections = new HashMap<>();
    private boolean closed;

    private record Key(SpiffeId id, InetSocketAddress address) {
    }

    public HbonePool(Transport transport, MeshTls tls, MeshSettings settings, MeshCounters counters) {
        this.transport = transport;
        this.tls = tls;
        this.settings = settings;
        this.counters = counters;
    }

    /** Opens a CONNECT stream to {@code destination} through {@code peer}; the outcome goes to {@code callbacks}. */
    public void open(MeshPeer peer, InetSocketAddress destination, InetSocketAddress client,
                     HboneCallbacks callbacks) {
        HboneConnection c;
        try {
            c = acquire(new Key(peer.id(), peer.hbone()), peer);
        } catch (Exception e) {
            callbacks.failed(e);
            return;
        }
        c.openStream(destination, client, callbacks, () -> release(c));
    }

    /** Open connections (all peers). */
    public synchronized int connections() {
        return connections.values().stream().mapToInt(List::size).sum();
    }

    @Override
    public void close() {
        List<HboneConnection> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            connections.values().forEach(all::addAll);
            connections.clear();
        }
        all.forEach(c -> c.channel.close());
    }

    private synchronized HboneConnection acquire(Key key, MeshPeer peer) throws Exception {
        if (closed) {
            throw new HboneException("the mesh is closed");
        }
        List<HboneConnection> list = connections.computeIfAbsent(key, k -> new ArrayList<>());
        for (HboneConnection c : list) {
            if (!c.retired && c.reserved < settings.maxStreamsPerConnection()) {
                c.reserved++;
                return c;
            }
        }
        Optional<MeshTls.Contexts> contexts = tls.current();
        if (contexts.isEmpty()) {
            throw new HboneException("no workload certificate yet: cannot reach " + peer.id());
        }
        HboneConnection c = HboneConnection.connect(transport, contexts.get().client(), peer, counters);
        counters.hboneConnection();
        c.reserved = 1;
        list.add(c);
        c.ready.whenComplete((id, error) -> {
            if (error != null) {
                retire(key, c);
            }
        });
        c.channel.closeFuture().addListener(f -> retire(key, c));
        return c;
    }

    private void release(HboneConnection c) {
        long idleNanos = settings.poolIdle().toNanos();
        synchronized (this) {
            c.reserved--;
            if (c.reserved > 0 || c.retired) {
                return;
            }
            c.idleSince = System.nanoTime();
        }
        c.channel.eventLoop().schedule(() -> closeIfIdle(c, idleNanos), idleNanos, TimeUnit.NANOSECONDS);
    }

    private void closeIfIdle(HboneConnection c, long idleNanos) {
        synchronized (this) {
            if (c.retired || c.reserved > 0 || System.nanoTime() - c.idleSince < idleNanos) {
                return;
            }
            c.retired = true;
        }
        c.channel.close();
    }

    private synchronized void retire(Key key, HboneConnection c) {
        c.retired = true;
        List<HboneConnection> list = connections.get(key);
        if (list != null) {
            list.remove(c);
            if (list.isEmpty()) {
                connections.remove(key);
            }
        }
    }
}
