package dev.ward.policy;

import java.nio.charset.StandardCharsets;

/**
 * A reusable question about one socket, owned by one thread: fill in the socket() arguments (as the tracer saw
 * them; SOCK_NONBLOCK and SOCK_CLOEXEC bits in {@link #type} are ignored) and the exe of the calling process.
 *
 * <pre>{@code
 * NetworkRequest q = new NetworkRequest();
 * q.family = 2; q.type = 1; q.protocol = 0;   // AF_INET, SOCK_STREAM: TCP
 * q.source("/usr/bin/curl");
 * Match m = policies.get().network(q);
 * }</pre>
 */
public final class NetworkRequest {
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_RDM = 4;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_DCCP = 6;
    public static final int SOCK_PACKET = 10;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_ICMPV6 = 58;
    public static final int IPPROTO_SCTP = 132;

    public int family;
    public int type;
    public int protocol;
    public final byte[] source = new byte[4096];
    public int sourceLength;

    final Scratch scratch = new Scratch();

    /** Sets {@link #source} from a string (tests and tools; allocates). */
    public NetworkRequest source(String s) {
        sourceLength = Scratch.copy(s, source);
        return this;
    }

    /** Sets the three socket() arguments (fluent, for tests). */
    public NetworkRequest socket(int family, int type, int protocol) {
        this.family = family;
        this.type = type;
        this.protocol = protocol;
        return this;
    }

    @Override
    public String toString() {
        return new String(source, 0, sourceLength, StandardCharsets.UTF_8) + " socket(" + family + ", " + type + ", "
                + protocol + ")";
    }
}
