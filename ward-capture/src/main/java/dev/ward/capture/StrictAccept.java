package dev.ward.capture;

import dev.ward.bindings.ProcFs;
import dev.ward.bindings.Regs;
import dev.ward.bindings.Sockaddr;
import dev.ward.bindings.Sockets;
import dev.ward.bindings.TraceeMemory;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntBinaryOperator;

/**
 * Strict inbound's accept side (docs/mesh-capture.md): the mesh delivers every tunnel to a socket {@link MeshCapture}
 * moved to loopback from a loopback address of its own, so the kernel's accept(2) answers that address. At the exit
 * of an accept or accept4 on such a socket, a connection whose peer {@link ConnectRedirector#realPeer} knows gets the
 * real client in the workload's buffer instead (IPv4-mapped on an AF_INET6 socket), truncated to the length the
 * workload gave as the kernel truncates; its inode goes into the {@link PeerTable}, so that getpeername answers the
 * same. *addrlen is left as the kernel set it: the full size of the family, which the client's sockaddr has too.
 *
 * <p>Tracer thread only.
 */
final class StrictAccept {
    private static final int LISTENERS = 4096;

    private final ConnectRedirector redirector;
    private final ProcFs proc;
    private final TraceeMemory memory;
    private final Sockets sockets;
    private final PeerTable peers;
    /** The inodes of the listening sockets moved to loopback; cleared beyond LISTENERS (a workload has a few). */
    private final Set<Long> listeners = new HashSet<>();
    private final byte[] kernel = new byte[128];
    private final byte[] client = new byte[Sockaddr.IN6_SIZE];
    private final byte[] word = new byte[4];

    StrictAccept(ConnectRedirector redirector, ProcFs proc, TraceeMemory memory, Sockets sockets, PeerTable peers) {
        this.redirector = redirector;
        this.proc = proc;
        this.memory = memory;
        this.sockets = sockets;
        this.peers = peers;
    }

    /** The socket of {@code inode} was bound to loopback instead of the wildcard: its accepts are looked at. */
    void moved(long inode) {
        if (inode <= 0) {
            return;
        }
        if (listeners.size() >= LISTENERS) {
            listeners.clear();
        }
        listeners.add(inode);
    }

    /**
     * accept(fd, address, &length) or accept4 entry: whether fd is a moved socket, so that the exit must stop; keeps
     * the buffer length the workload gave in {@link Task#peerLength} (0 when it gave no buffer).
     */
    boolean atEntry(Task t, MemorySegment regs) {
        if (listeners.isEmpty() || proc.statFd(t.tid, (int) Regs.arg(regs, 0)) != 0
                || !listeners.contains(proc.ino())) {
            return false;
        }
        long address = Regs.arg(regs, 1);
        long length = Regs.arg(regs, 2);
        t.peerLength = address == 0 || length == 0 || proc.read(t.tid, length, word, 4) != 4 ? 0
                : (word[0] & 0xff) | (word[1] & 0xff) << 8 | (word[2] & 0xff) << 16 | word[3] << 24;
        t.accepting = true;
        return true;
    }

    /**
     * At the exit of an accept {@link #atEntry} chose ({@code regs}: its registers): the real client, if known, as
     * the answer. {@code take} gives the agent a copy of a descriptor of a process (pid, fd), or -errno.
     */
    void atExit(Task t, MemorySegment regs, IntBinaryOperator take) {
        t.accepting = false;
        long fd = Regs.returnValue(regs);
        if (fd < 0) {
            return;
        }
        int s = take.applyAsInt(t.tgid, (int) fd);
        if (s < 0) {
            return;
        }
        try {
            rewrite(t, regs, s);
        } finally {
            sockets.close(s);
        }
    }

    private void rewrite(Task t, MemorySegment regs, int s) {
        int n = sockets.peerAddress(s, kernel);
        int family = n < 0 ? -1 : Sockaddr.family(kernel, n);
        if (family != Sockaddr.AF_INET && family != Sockaddr.AF_INET6) {
            return;
        }
        InetSocketAddress loopback = Sockaddr.decode(kernel, n);
        if (!loopback.getAddress().isLoopbackAddress()) {
            return; // not a delivery of the mesh: the kernel's answer stands
        }
        Optional<InetSocketAddress> real;
        try {
            real = redirector.realPeer(loopback);
        } catch (RuntimeException e) {
            return;
        }
        int length = real.isEmpty() ? -1 : Sockaddr.encode(real.get(), family, client);
        long inode = sockets.inode(s);
        if (length != n || inode <= 0) {
            return; // unknown, or an IPv6 client on an AF_INET socket, which cannot be told
        }
        peers.put(inode, new PeerTable.Peer(Arrays.copyOf(client, length), Arrays.copyOf(kernel, n)));
        long address = Regs.arg(regs, 1);
        if (address != 0 && t.peerLength > 0) {
            memory.write(t.tid, address, client, Math.min(t.peerLength, length));
        }
    }
}
