package dev.ward.capture;

import dev.ward.bindings.Sockaddr;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * The addresses of a redirect, between the sockaddr bytes the kernel speaks and the {@link InetSocketAddress} the
 * {@link ConnectRedirector} speaks, kept from one redirect to the next: a workload connects to the same few
 * destinations, through the same capture port, from the same loopback address, so that in the steady state a
 * redirect decodes and encodes nothing and allocates one InetSocketAddress (its source, whose port is new).
 * Each answer is what {@link Sockaddr#decode} and {@link Sockaddr#encode} give for the same input; the arrays
 * handed out are never written again (a {@link PeerTable.Peer} may keep them). Tracer thread only.
 */
final class Endpoints {
    private final byte[] asked = new byte[Sockaddr.IN6_SIZE];
    private final byte[] source = new byte[Sockaddr.IN6_SIZE];
    private int askedLength = -1;
    private int sourceLength = -1;
    private InetSocketAddress destination;
    private InetSocketAddress sourceAddress;
    private InetSocketAddress to;
    private int toFamily = -1;
    private int targetLength;
    private byte[] target;
    private InetSocketAddress originalOf;
    private int originalFamily = -1;
    private byte[] original;

    /** {@link Sockaddr#decode} of {@code raw[0..length)}, an AF_INET or AF_INET6 sockaddr the workload asked for. */
    InetSocketAddress destination(byte[] raw, int length) {
        if (length == askedLength && Arrays.equals(raw, 0, length, asked, 0, length)) {
            return destination;
        }
        InetSocketAddress a = Sockaddr.decode(raw, length);
        askedLength = keep(raw, length, a, asked);
        destination = a;
        return a;
    }

    /** {@link Sockaddr#decode} of a local address from getsockname: the last one's address, with this port. */
    InetSocketAddress source(byte[] raw, int length) {
        if (length == sourceLength && sameButPort(raw, length)) {
            return new InetSocketAddress(sourceAddress.getAddress(), Sockaddr.port(raw));
        }
        InetSocketAddress a = Sockaddr.decode(raw, length);
        sourceLength = keep(raw, length, a, source);
        sourceAddress = a;
        return a;
    }

    /**
     * {@link Sockaddr#encode} of capture address {@code to} for a socket of {@code family}: its length, or
     * -EAFNOSUPPORT; the bytes are then {@link #target()}.
     */
    int target(InetSocketAddress to, int family) {
        if (family != toFamily || !to.equals(this.to)) {
            byte[] t = new byte[Sockaddr.IN6_SIZE];
            targetLength = Sockaddr.encode(to, family, t);
            t = targetLength > 0 ? Arrays.copyOf(t, targetLength) : t; // its length tells the family (PeerTable)
            target = t;
            this.to = to;
            toFamily = family;
        }
        return targetLength;
    }

    /** The bytes of the last {@link #target}, as many as it answered (when it answered a length). */
    byte[] target() {
        return target;
    }

    /** {@link Sockaddr#encode} of {@code destination} for a socket of {@code family}, {@code length} bytes. */
    byte[] original(InetSocketAddress destination, int family, int length) {
        if (destination != originalOf || family != originalFamily || original.length != length) {
            byte[] o = new byte[length];
            Sockaddr.encode(destination, family, o);
            original = o;
            originalOf = destination;
            originalFamily = family;
        }
        return original;
    }

    /** Copies {@code raw} into {@code into} when it decoded and fits: the length kept, else -1 (nothing kept). */
    private static int keep(byte[] raw, int length, InetSocketAddress decoded, byte[] into) {
        if (decoded == null || length > into.length) {
            return -1;
        }
        System.arraycopy(raw, 0, into, 0, length);
        return length;
    }

    private boolean sameButPort(byte[] raw, int length) {
        for (int i = 0; i < length; i++) {
            if (raw[i] != source[i] && (i < 2 || i > 3)) {
                return false;
            }
        }
        return true;
    }
}
