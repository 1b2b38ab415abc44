package dev.ward.policy;

import dev.ward.policy.model.Protocol;

/**
 * Classifies a socket() call into the protocol names of {@code matchProtocols}, as a bit set indexed by
 * {@link Protocol#ordinal()}.
 *
 * <p>Only the network families AF_INET, AF_INET6 and AF_PACKET are network operations for Ward; AF_UNIX, AF_NETLINK
 * and the other local families match no network rule and no default posture (KubeArmor's BPF enforcer classifies by
 * socket type whatever the family, so an allow-list for tcp there also catches Unix sockets; we chose not to, see
 * docs/policy.md). Protocol 0 means the family's default: TCP for stream, UDP for datagram, SCTP for seqpacket.
 */
final class NetworkClass {
    private NetworkClass() {
    }

    private static final int SOCK_TYPE_MASK = 0xf; // SOCK_NONBLOCK and SOCK_CLOEXEC live above

    static boolean isNetworkFamily(int family) {
        return family == NetworkRequest.AF_INET || family == NetworkRequest.AF_INET6
                || family == NetworkRequest.AF_PACKET;
    }

    static long classify(int family, int rawType, int protocol) {
        if (!isNetworkFamily(family)) {
            return 0L;
        }
        int type = rawType & SOCK_TYPE_MASK;
        long bits = bit(Protocol.ALL);
        switch (type) {
            case NetworkRequest.SOCK_STREAM -> bits |= bit(Protocol.STREAM);
            case NetworkRequest.SOCK_DGRAM -> bits |= bit(Protocol.DGRAM);
            case NetworkRequest.SOCK_RAW -> bits |= bit(Protocol.RAW);
            case NetworkRequest.SOCK_RDM -> bits |= bit(Protocol.RDM);
            case NetworkRequest.SOCK_SEQPACKET -> bits |= bit(Protocol.SEQPACKET);
            case NetworkRequest.SOCK_DCCP -> bits |= bit(Protocol.DCCP);
            case NetworkRequest.SOCK_PACKET -> bits |= bit(Protocol.PACKET);
            default -> { }
        }
        if (family == NetworkRequest.AF_PACKET) {
            return bits;
        }
        boolean stream = type == NetworkRequest.SOCK_STREAM;
        boolean dgram = type == NetworkRequest.SOCK_DGRAM;
        boolean raw = type == NetworkRequest.SOCK_RAW;
        if (stream && (protocol == 0 || protocol == NetworkRequest.IPPROTO_TCP)) {
            bits |= bit(Protocol.TCP);
        }
        if (dgram && (protocol == 0 || protocol == NetworkRequest.IPPROTO_UDP)) {
            bits |= bit(Protocol.UDP);
        }
        if ((dgram || raw) && protocol == NetworkRequest.IPPROTO_ICMP && family == NetworkRequest.AF_INET) {
            bits |= bit(Protocol.ICMP);
        }
        if ((dgram || raw) && protocol == NetworkRequest.IPPROTO_ICMPV6 && family == NetworkRequest.AF_INET6) {
            bits |= bit(Protocol.ICMPV6);
        }
        if ((stream || type == NetworkRequest.SOCK_SEQPACKET) && protocol == NetworkRequest.IPPROTO_SCTP
                || type == NetworkRequest.SOCK_SEQPACKET && protocol == 0) {
            bits |= bit(Protocol.SCTP);
        }
        return bits;
    }

    static long bit(Protocol p) {
        return 1L << p.ordinal();
    }
}
