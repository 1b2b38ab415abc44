package dev.ward.capture;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The redirected sockets, by socket inode: what getpeername must answer (the destination the workload asked for)
 * and what the kernel answers instead (the capture port), both as sockaddr bytes of the socket's family.
 * Bounded: the least recently used entry goes beyond {@code capacity}; an entry whose socket no longer talks to
 * the capture port is dropped when a getpeername finds that out ({@link MeshCapture}). Tracer thread only.
 */
final class PeerTable {
    /** One redirected socket: {@code original} and {@code target} have the same family and length. */
    record Peer(byte[] original, byte[] target) {
    }

    private final Map<Long, Peer> byInode;

    PeerTable(int capacity) {
        this.byInode = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Peer> eldest) {
                return size() > capacity;
            }
        };
    }

    void put(long inode, Peer peer) {
        byInode.put(inode, peer);
    }

    Peer get(long inode) {
        return byInode.isEmpty() ? null : byInode.get(inode);
    }

    void remove(long inode) {
        byInode.remove(inode);
    }

    boolean isEmpty() {
        return byInode.isEmpty();
    }

    int size() {
        return byInode.size();
    }

    /**
     * Whether the sockaddr the kernel returned ({@code given}, {@code length} bytes of it) names the same peer as
     * {@code target}: family, port and address; an IPv6 flow label, scope and the IPv4 padding do not count.
     */
    static boolean samePeer(byte[] given, byte[] target, int length) {
        boolean v6 = target.length > 16;
        for (int i = 0; i < length && i < target.length; i++) {
            boolean counts = v6 ? i < 4 || i >= 8 && i < 24 : i < 8;
            if (counts && given[i] != target[i]) {
                return false;
            }
        }
        return true;
    }
}
