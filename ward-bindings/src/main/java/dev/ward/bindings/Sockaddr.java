package dev.ward.bindings;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * {@code struct sockaddr_in} and {@code struct sockaddr_in6} as raw bytes, the way connect(2), bind(2) and
 * getpeername(2) pass them (LayoutTest checks the sizes and offsets against the C headers):
 * <ul>
 *   <li>sockaddr_in, 16 bytes: family u16 (host order) @0, port u16 (network order) @2, address @4, zero @8;</li>
 *   <li>sockaddr_in6, 28 bytes: family u16 @0, port u16 @2, flowinfo u32 @4, address @8, scope_id u32 @24.</li>
 * </ul>
 * The raw checks ({@link #family}, {@link #isLocal}) allocate nothing, so a caller can leave most addresses alone
 * before it builds an {@link InetSocketAddress}.
 */
public final class Sockaddr {
    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int IN_SIZE = 16;
    public static final int IN6_SIZE = 28;
    static final int PORT = 2;
    static final int IN_ADDR = 4;
    static final int IN6_ADDR = 8;
    static final int IN6_SCOPE = 24;
    /** The shortest sockaddr_in6 the kernel takes (SIN6_LEN_RFC2133, without scope_id). */
    private static final int IN6_MIN = 24;

    private Sockaddr() {
    }

    /** The family of a raw sockaddr, or -1 when it is too short to hold an address of it. */
    public static int family(byte[] raw, int length) {
        if (length < 2) {
            return -1;
        }
        int f = (raw[0] & 0xff) | (raw[1] & 0xff) << 8;
        return f == AF_INET && length >= IN_SIZE || f == AF_INET6 && length >= IN6_MIN ? f : f == AF_UNSPEC ? f : -1;
    }

    /** The port of an AF_INET or AF_INET6 sockaddr. */
    public static int port(byte[] raw) {
        return (raw[PORT] & 0xff) << 8 | (raw[PORT + 1] & 0xff);
    }

    /**
     * Whether the address stays on this machine or its link: 0.0.0.0, 127/8, 169.254/16 (the link-local range,
     * the ECS task metadata and credentials endpoint 169.254.170.2 among it), ::, ::1, fe80::/10, and the
     * IPv4-mapped forms of the IPv4 ones. {@code family} is {@link #family}'s answer.
     */
    public static boolean isLocal(byte[] raw, int family) {
        if (family == AF_INET) {
            return isLocal4(raw, IN_ADDR);
        }
        int a = IN6_ADDR;
        if (isMapped(raw)) {
            return isLocal4(raw, a + 12);
        }
        if ((raw[a] & 0xff) == 0xfe && (raw[a + 1] & 0xc0) == 0x80) {
            return true; // fe80::/10
        }
        for (int i = 0; i < 15; i++) {
            if (raw[a + i] != 0) {
                return false;
            }
        }
        return raw[a + 15] == 0 || raw[a + 15] == 1;
    }

    /** Whether an AF_INET6 sockaddr holds an IPv4-mapped address (::ffff:a.b.c.d). */
    public static boolean isMapped(byte[] raw) {
        for (int i = 0; i < 10; i++) {
            if (raw[IN6_ADDR + i] != 0) {
                return false;
            }
        }
        return raw[IN6_ADDR + 10] == (byte) 0xff && raw[IN6_ADDR + 11] == (byte) 0xff;
    }

    /**
     * The address of an AF_INET or AF_INET6 sockaddr (an IPv4-mapped one as the IPv4 address, as Java's
     * InetAddress has it), or null for any other family.
     */
    public static InetSocketAddress decode(byte[] raw, int length) {
        int f = family(raw, length);
        try {
            if (f == AF_INET) {
                byte[] a = java.util.Arrays.copyOfRange(raw, IN_ADDR, IN_ADDR + 4);
                return new InetSocketAddress(InetAddress.getByAddress(a), port(raw));
            }
            if (f == AF_INET6) {
                byte[] a = java.util.Arrays.copyOfRange(raw, IN6_ADDR, IN6_ADDR + 16);
                int scope = length >= IN6_SIZE ? intAt(raw, IN6_SCOPE) : 0;
                InetAddress ia = scope != 0 && !isMapped(raw) ? Inet6Address.getByAddress(null, a, scope)
                        : InetAddress.getByAddress(a);
                return new InetSocketAddress(ia, port(raw));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // never: the lengths are right
        }
        return null;
    }

    /**
     * Writes {@code address} into {@code out} as a sockaddr for a socket of {@code socketFamily}: an IPv4
     * address on an AF_INET6 socket becomes IPv4-mapped. Returns the length, or -EAFNOSUPPORT for an IPv6
     * address on an AF_INET socket.
     */
    public static int encode(InetSocketAddress address, int socketFamily, byte[] out) {
        byte[] a = address.getAddress().getAddress();
        int port = address.getPort();
        java.util.Arrays.fill(out, 0, socketFamily == AF_INET ? IN_SIZE : IN6_SIZE, (byte) 0);
        out[0] = (byte) socketFamily;
        out[PORT] = (byte) (port >>> 8);
        out[PORT + 1] = (byte) port;
        if (socketFamily == AF_INET) {
            if (a.length != 4) {
                return -Errno.EAFNOSUPPORT;
            }
            System.arraycopy(a, 0, out, IN_ADDR, 4);
            return IN_SIZE;
        }
        if (a.length == 4) {
            out[IN6_ADDR + 10] = (byte) 0xff;
            out[IN6_ADDR + 11] = (byte) 0xff;
            System.arraycopy(a, 0, out, IN6_ADDR + 12, 4);
        } else {
            System.arraycopy(a, 0, out, IN6_ADDR, 16);
            if (address.getAddress() instanceof Inet6Address v6 && v6.getScopeId() != 0) {
                int s = v6.getScopeId();
                out[IN6_SCOPE] = (byte) s;
                out[IN6_SCOPE + 1] = (byte) (s >>> 8);
                out[IN6_SCOPE + 2] = (byte) (s >>> 16);
                out[IN6_SCOPE + 3] = (byte) (s >>> 24);
            }
        }
        return IN6_SIZE;
    }

    /** The loopback address of {@code target}'s family: 127.0.0.1 or ::1. */
    public static InetAddress loopbackFor(InetSocketAddress target) {
        return target.getAddress() instanceof Inet4Address ? InetAddress.ofLiteral("127.0.0.1")
                : InetAddress.ofLiteral("::1");
    }

    /** Whether the sockaddr's address is the wildcard (0.0.0.0, ::). */
    public static boolean isWildcard(byte[] raw, int family) {
        int from = family == AF_INET ? IN_ADDR : IN6_ADDR;
        int to = family == AF_INET ? IN_ADDR + 4 : IN6_ADDR + 16;
        for (int i = from; i < to; i++) {
            if (raw[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLocal4(byte[] raw, int at) {
        int a = raw[at] & 0xff;
        int b = raw[at + 1] & 0xff;
        return a == 127 || a == 169 && b == 254
                || a == 0 && raw[at + 1] == 0 && raw[at + 2] == 0 && raw[at + 3] == 0;
    }

    private static int intAt(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }
}
