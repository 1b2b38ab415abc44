package dev.ward.policy.istio;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The L4 facts of one inbound connection (an HBONE stream), reusable and owned by one thread: set the fields, then
 * ask {@link WorkloadAuthorizer#decideL4} or, per HTTP request, {@link WorkloadAuthorizer#decideL7}.
 *
 * <pre>{@code
 * Connection c = new Connection()
 *         .peer(spiffeId.toString())            // or peer(null) for a peer without a mesh identity
 *         .sourceIp(forwardedFor.getAddress())
 *         .destination(authority.getAddress(), authority.getPort());
 * }</pre>
 *
 * <p>{@code remoteIp} is what {@code remoteIpBlocks} compare: the original client when a proxy in front says who it
 * was; it defaults to the source IP.
 *
 * <p>An outbound connection, for egress policies ({@link WorkloadAuthorizer#decideEgress}), is described by
 * {@link #egress}: the destination, the host name when the client named one (a proxy request) and the executable
 * that connects, when known.
 */
public final class Connection {
    private static final String SCHEME = "spiffe://";
    private static final InetSocketAddress UNSPECIFIED = new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), 0);

    String principal;
    String namespace;
    long sourceHi;
    long sourceLo;
    long remoteHi;
    long remoteLo;
    boolean remoteSet;
    long destinationHi;
    long destinationLo;
    int destinationPort;
    String host;
    boolean anyHost;
    String process;
    int processBase;

    /**
     * The peer's identity, {@code spiffe://TD/ns/NS/sa/SA} or without the scheme as Istio policies write it; its
     * namespace is what {@code namespaces} compare. Null for a peer without an identity (only {@code not*} forms and
     * rules without principals/namespaces then match).
     */
    public Connection peer(String spiffeIdOrPrincipal) {
        if (spiffeIdOrPrincipal == null) {
            principal = null;
            namespace = null;
            return this;
        }
        principal = spiffeIdOrPrincipal.startsWith(SCHEME) ? spiffeIdOrPrincipal.substring(SCHEME.length())
                : spiffeIdOrPrincipal;
        namespace = namespaceOf(principal);
        return this;
    }

    /** The peer as principal ({@code td/ns/NS/sa/SA}) and namespace given separately (no parsing, no allocation). */
    public Connection peer(String principal, String namespace) {
        this.principal = principal;
        this.namespace = namespace;
        return this;
    }

    /**
     * All L4 facts at once, in the shapes the mesh's inbound side has them ({@code InboundAuthorizer.Request}): the
     * peer's SPIFFE ID as text (null without one), the client address and the {@code :authority} address. The remote
     * IP follows the source. An unresolved destination (a service name) leaves the destination IP unknown
     * ({@code ::}), so {@code destination.ip} conditions do not match it; its port is kept.
     */
    public Connection set(String peerSpiffeId, InetSocketAddress source, InetSocketAddress destination) {
        host = null;
        anyHost = false;
        process = null;
        peer(peerSpiffeId);
        sourceIp(source.getAddress());
        remoteSet = false;
        InetAddress d = destination.getAddress();
        if (d == null) {
            destinationHi = 0;
            destinationLo = 0;
            destinationPort = destination.getPort();
        } else {
            destination(d, destination.getPort());
        }
        return this;
    }

    public Connection sourceIp(InetAddress a) {
        byte[] raw = a.getAddress();
        sourceHi = IpBits.hi(raw);
        sourceLo = IpBits.lo(raw);
        return this;
    }

    public Connection remoteIp(InetAddress a) {
        byte[] raw = a.getAddress();
        remoteHi = IpBits.hi(raw);
        remoteLo = IpBits.lo(raw);
        remoteSet = true;
        return this;
    }

    public Connection destination(InetAddress a, int port) {
        byte[] raw = a.getAddress();
        destinationHi = IpBits.hi(raw);
        destinationLo = IpBits.lo(raw);
        destinationPort = port;
        return this;
    }

    /**
     * An outbound connection of the workload: to {@code destination} (its IP unknown when unresolved), named
     * {@code host} by the client (null when it gave an address only), opened by the executable {@code process}
     * (its path; null when unknown). Hosts and processes that are not known fail safe: ALLOW rules that name them
     * never match, DENY rules match on their other fields.
     */
    public Connection egress(InetSocketAddress destination, String host, String process) {
        set(null, UNSPECIFIED, destination);
        this.host = host == null || host.isEmpty() ? null
                : host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        this.process = process == null || process.isEmpty() ? null : process;
        this.processBase = this.process == null ? 0 : this.process.lastIndexOf('/') + 1;
        return this;
    }

    /**
     * For a connection whose host is not known yet: decide the best case instead of the fail-safe one, as if the
     * host were whatever the ALLOW rules name and nothing the DENY rules name. Denied this way, no host name would
     * let it through; allowed the fail-safe way ({@link #egress} alone), every host would pass.
     */
    public Connection anyHost() {
        anyHost = true;
        return this;
    }

    /** Clears the remote IP so that it follows the source IP again (when the object is reused). */
    public Connection clearRemoteIp() {
        remoteSet = false;
        return this;
    }

    long remoteHi() {
        return remoteSet ? remoteHi : sourceHi;
    }

    long remoteLo() {
        return remoteSet ? remoteLo : sourceLo;
    }

    private static String namespaceOf(String principal) {
        int ns = principal.indexOf("/ns/");
        if (ns < 0) {
            return null;
        }
        int end = principal.indexOf('/', ns + 4);
        return principal.substring(ns + 4, end < 0 ? principal.length() : end);
    }

    @Override
    public String toString() {
        return "peer=" + principal + " port=" + destinationPort;
    }
}
