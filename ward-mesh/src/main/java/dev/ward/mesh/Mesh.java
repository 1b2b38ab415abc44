package dev.ward.mesh;

import dev.ward.mesh.hbone.HbonePool;
import dev.ward.mesh.hbone.HboneServer;
import dev.ward.mesh.net.Transport;
import dev.ward.mesh.proxy.Outbound;
import dev.ward.mesh.proxy.ProxyPorts;
import dev.ward.mesh.proxy.Resolver;
import dev.ward.mesh.tls.MeshTls;
import io.netty.channel.Channel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One task's mesh data plane: the explicit proxy port, the capture port and the inbound HBONE port on one small
 * event loop group, with a pool of HBONE connections to peers.
 * <pre>{@code
 * try (Mesh mesh = Mesh.start(MeshSettings.of("cluster.local", List.of(taskIp)), certificates, directory,
 *         events, redirects)) {
 *     // ALL_PROXY=socks5h://127.0.0.1:15080 now reaches meshed peers in mutual TLS
 * }
 * }</pre>
 * Faults inside the mesh never reach the caller: they close the connection concerned and are counted
 * ({@link MeshCounters.Snapshot#faults()}). Only {@link #start} throws, when a port cannot be bound.
 */
public final class Mesh implements AutoCloseable {

    private final Transport transport;
    private final HbonePool pool;
    private final Resolver resolver;
    private final MeshTls tls;
    private final MeshCounters counters;
    private final List<Channel> listeners;

    private Mesh(Transport transport, HbonePool pool, Resolver resolver, MeshTls tls, MeshCounters counters,
                 List<Channel> listeners) {
        this.transport = transport;
        this.pool = pool;
        this.resolver = resolver;
        this.tls = tls;
        this.counters = counters;
        this.listeners = listeners;
    }

    /** Starts with every inbound tunnel allowed (no authorization policy). */
    public static Mesh start(MeshSettings settings, CertificateSource certificates, PeerDirectory directory,
                             MeshEvents events, Redirects redirects) throws IOException {
        return start(settings, certificates, directory, events, redirects, InboundAuthorizer.ALLOW_ALL);
    }

    /** Starts with no one told who the inbound tunnels deliver for. */
    public static Mesh start(MeshSettings settings, CertificateSource certificates, PeerDirectory directory,
                             MeshEvents events, Redirects redirects, InboundAuthorizer authorizer)
            throws IOException {
        return start(settings, certificates, directory, events, redirects, authorizer, InboundPeers.NONE);
    }

    /** Starts with every outbound connection outside the mesh allowed (no egress policy). */
    public static Mesh start(MeshSettings settings, CertificateSource certificates, PeerDirectory directory,
                             MeshEvents events, Redirects redirects, InboundAuthorizer authorizer,
                             InboundPeers peers) throws IOException {
        return start(settings, certificates, directory, events, redirects, authorizer, peers,
                EgressAuthorizer.ALLOW_ALL);
    }

    /**
     * Binds the three ports and starts; an IOException names the port that could not be bound. {@code peers} learns
     * the real client of each connection the inbound port delivers to the application; {@code egress} decides the
     * proxied connections to destinations outside the mesh.
     */
    public static Mesh start(MeshSettings settings, CertificateSource certificates, PeerDirectory directory,
                             MeshEvents events, Redirects redirects, InboundAuthorizer authorizer,
                             InboundPeers peers, EgressAuthorizer egress) throws IOException {
        Transport transport = new Transport();
        MeshCounters counters = new MeshCounters();
        MeshTls tls = new MeshTls(certificates, settings.trustDomain(), settings.tls());
        warm(tls);
        HbonePool pool = new HbonePool(transport, tls, settings, counters);
        Resolver resolver = new Resolver();
        List<Channel> listeners = new ArrayList<>();
        Mesh mesh = new Mesh(transport, pool, resolver, tls, counters, listeners);
        Outbound outbound = new Outbound(transport, directory, pool, settings, tls, events, counters, egress,
                resolver);
        ProxyPorts ports = new ProxyPorts(transport, outbound, resolver, redirects, counters);
        HboneServer hbone = new HboneServer(settings, transport, tls, authorizer, events, counters, peers);
        InetSocketAddress binding = settings.proxy();
        try {
            listeners.add(ports.bindProxy(settings.bindAddress(binding)));
            binding = settings.capture();
            listeners.add(ports.bindCapture(settings.bindAddress(binding)));
            binding = settings.hbone();
            listeners.add(hbone.bind(settings.bindAddress(binding)));
            return mesh;
        } catch (Exception e) {
            mesh.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("mesh: cannot listen on " + binding + ": " + e.getMessage(), e);
        }
    }

    /** The bound explicit proxy port (SOCKS5 and HTTP). */
    public InetSocketAddress proxyAddress() {
        return (InetSocketAddress) listeners.get(0).localAddress();
    }

    /** The bound capture port. */
    public InetSocketAddress captureAddress() {
        return (InetSocketAddress) listeners.get(1).localAddress();
    }

    /** The bound inbound HBONE port. */
    public InetSocketAddress hboneAddress() {
        return (InetSocketAddress) listeners.get(2).localAddress();
    }

    public MeshCounters.Snapshot counters() {
        return counters.snapshot();
    }

    /** Open HBONE connections to peers (all of them, the pool's size). */
    public int pooledConnections() {
        return pool.connections();
    }

    /** "BoringSSL" or "JDK", and "epoll" or "nio": what this mesh runs on. */
    public String engine() {
        return tls.engine() + "/" + transport.name();
    }

    /** Closes the ports and every connection. Never throws. */
    @Override
    public void close() {
        try {
            listeners.forEach(Channel::close);
            pool.close();
            resolver.close();
        } catch (RuntimeException e) {
            counters.fault();
        } finally {
            transport.close();
        }
    }

    /**
     * Builds the TLS contexts of the certificate the task already has, here rather than on the event loop of the
     * first connection (where it stalled every connection of that loop for tens of ms). A failure is not the start's:
     * the first connection meets it again and counts it.
     */
    private static void warm(MeshTls tls) {
        try {
            tls.current();
        } catch (Exception | LinkageError e) {
            // the same error is met and counted by the first connection that needs the contexts
        }
    }
}
