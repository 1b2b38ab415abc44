package dev.ward.mesh;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * How one task's mesh listens and behaves. Start from {@link #of} and change what differs:
 * <pre>{@code
 * MeshSettings s = MeshSettings.of("cluster.local", List.of(taskIp)).withPassthroughAllowed(false);
 * }</pre>
 *
 * @param trustDomain        the SPIFFE trust domain inbound clients must belong to
 * @param localAddresses     this task's own addresses: an inbound {@code :authority} must name one of them
 * @param proxy              the explicit proxy port (SOCKS5, HTTP CONNECT, HTTP), 127.0.0.1:15080
 * @param capture            where the supervisor redirects captured connects, 127.0.0.1:15001
 * @param hbone              the inbound HBONE port, [::]:15008 (0.0.0.0:15008 without IPv6)
 * @param deliveryHost       where inbound tunnels are delivered to the application, 127.0.0.1
 * @param passthroughAllowed whether destinations outside the mesh are reached in plain TCP
 * @param ephemeralPorts     test hook: bind all three ports on port 0 (read the bound ports from the Mesh)
 * @param tls                which TLS engine to use
 * @param maxStreamsPerConnection HBONE streams one pooled connection carries before another is opened (100)
 * @param poolIdle           how long a pooled connection without streams stays open (5 minutes)
 */
public record MeshSettings(String trustDomain, Set<InetAddress> localAddresses, InetSocketAddress proxy,
                           InetSocketAddress capture, InetSocketAddress hbone, InetAddress deliveryHost,
                           boolean passthroughAllowed, boolean ephemeralPorts, TlsEngine tls,
                           int maxStreamsPerConnection, Duration poolIdle) {

    public static final int PROXY_PORT = 15080;
    public static final int CAPTURE_PORT = 15001;
    public static final int HBONE_PORT = 15008;

    /** AUTO: BoringSSL (netty-tcnative) when it loads, else the JDK's TLS. JDK: always the JDK's. */
    public enum TlsEngine { AUTO, JDK }

    public MeshSettings {
        new SpiffeId(trustDomain, "ns", "sa");
        localAddresses = Set.copyOf(localAddresses);
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(capture, "capture");
        Objects.requireNonNull(hbone, "hbone");
        Objects.requireNonNull(deliveryHost, "deliveryHost");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(poolIdle, "poolIdle");
        if (maxStreamsPerConnection < 1) {
            throw new IllegalArgumentException("maxStreamsPerConnection " + maxStreamsPerConnection + ": expected >= 1");
        }
    }

    /** The defaults: ztunnel's ports, delivery to 127.0.0.1, passthrough allowed, the TLS engine chosen at start. */
    public static MeshSettings of(String trustDomain, Collection<InetAddress> localAddresses) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        return new MeshSettings(trustDomain, Set.copyOf(localAddresses),
                new InetSocketAddress(loopback, PROXY_PORT), new InetSocketAddress(loopback, CAPTURE_PORT),
                new InetSocketAddress(wildcard(), HBONE_PORT), loopback, true, false, TlsEngine.AUTO, 100,
                Duration.ofMinutes(5));
    }

    /** The three ports (the agent's WARD_MESH_*_PORT), on their default addresses. */
    public MeshSettings withPorts(int proxyPort, int capturePort, int hbonePort) {
        return new MeshSettings(trustDomain, localAddresses, new InetSocketAddress(proxy.getAddress(), proxyPort),
                new InetSocketAddress(capture.getAddress(), capturePort),
                new InetSocketAddress(hbone.getAddress(), hbonePort), deliveryHost, passthroughAllowed, ephemeralPorts,
                tls, maxStreamsPerConnection, poolIdle);
    }

    public MeshSettings withHbone(InetSocketAddress address) {
        return new MeshSettings(trustDomain, localAddresses, proxy, capture, address, deliveryHost,
                passthroughAllowed, ephemeralPorts, tls, maxStreamsPerConnection, poolIdle);
    }

    public MeshSettings withDeliveryHost(InetAddress host) {
        return new MeshSettings(trustDomain, localAddresses, proxy, capture, hbone, host, passthroughAllowed,
                ephemeralPorts, tls, maxStreamsPerConnection, poolIdle);
    }

    public MeshSettings withPassthroughAllowed(boolean allowed) {
        return new MeshSettings(trustDomain, localAddresses, proxy, capture, hbone, deliveryHost, allowed,
                ephemeralPorts, tls, maxStreamsPerConnection, poolIdle);
    }

    public MeshSettings withEphemeralPorts(boolean ephemeral) {
        return new MeshSettings(trustDomain, localAddresses, proxy, capture, hbone, deliveryHost,
                passthroughAllowed, ephemeral, tls, maxStreamsPerConnection, poolIdle);
    }

    public MeshSettings withTls(TlsEngine engine) {
        return new MeshSettings(trustDomain, localAddresses, proxy, capture, hbone, deliveryHost,
                passthroughAllowed, ephemeralPorts, engine, maxStreamsPerConnection, poolIdle);
    }

    public MeshSettings withPool(int maxStreams, Duration idle) {
        return new MeshSettings(trustDomain, localAddresses, proxy, capture, hbone, deliveryHost,
                passthroughAllowed, ephemeralPorts, tls, maxStreams, idle);
    }

    /** The address actually bound for {@code address}: port 0 under {@link #ephemeralPorts}. */
    InetSocketAddress bindAddress(InetSocketAddress address) {
        return ephemeralPorts ? new InetSocketAddress(address.getAddress(), 0) : address;
    }

    private static InetAddress wildcard() {
        try {
            var interfaces = NetworkInterface.networkInterfaces().toList();
            for (NetworkInterface nif : interfaces) {
                if (nif.inetAddresses().anyMatch(a -> a instanceof Inet6Address)) {
                    return InetAddress.getByName("::");
                }
            }
            return InetAddress.getByName("0.0.0.0");
        } catch (SocketException | java.net.UnknownHostException e) {
            return new InetSocketAddress(0).getAddress();
        }
    }
}
