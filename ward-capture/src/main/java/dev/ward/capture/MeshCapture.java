package dev.ward.capture;

import dev.ward.bindings.Errno;
import dev.ward.bindings.ProcFs;
import dev.ward.bindings.Ptrace;
import dev.ward.bindings.Regs;
import dev.ward.bindings.Sockaddr;
import dev.ward.bindings.Sockets;
import dev.ward.bindings.TraceeMemory;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The mesh's transparent capture, at the stops the tracer already has (docs/mesh-capture.md):
 * <ul>
 *   <li>connect(2) entry, once the listener let it run: a TCP connect to a destination the
 *   {@link ConnectRedirector} claims is done by the agent on the workload's own socket, taken with pidfd_getfd:
 *   connected to the capture port (from a loopback source the connect picks), reported; the workload's call is
 *   then skipped with the result. Its memory is never written.</li>
 *   <li>connect(2) of a TCP socket the redirector leaves alone, when egress policies apply: it decides from the
 *   destination and the executable, and a refusal skips the call with its errno ({@link EgressCheck}).</li>
 *   <li>getpeername(2) of such a socket: at its exit, the destination the workload asked for replaces the capture
 *   port in the buffer the workload gave for the answer.</li>
 *   <li>bind(2) of a TCP socket to the wildcard address on a port the redirector keeps on loopback (strict
 *   inbound): the agent binds it to loopback instead and the call is skipped.</li>
 *   <li>accept(2) and accept4(2) on such a socket, and getpeername of what they return: the real client of the
 *   mesh's delivery in the answer ({@link StrictAccept}).</li>
 * </ul>
 * Once the redirector chose the capture port, a failure fails the workload's connect rather than let it reach the
 * destination around the mesh; see {@link #connect} and {@link RedirectSteps}.
 *
 * <p>Threading: tracer thread only, like every ptrace request it makes. Races: the workload's other threads run
 * while the connecting one is stopped; see docs/mesh-capture.md.
 */
final class MeshCapture {
    /** {@link #connect}'s answer for "let the workload's own call run, unchanged". */
    static final long RUN = Long.MIN_VALUE;
    private static final int PEERS = 65_536;

    private final ConnectRedirector redirector;
    private final Ptrace ptrace;
    private final TraceListener listener;
    private final ProcFs proc;
    private final TraceeMemory memory;
    private final Sockets sockets = new Sockets();
    private final PeerTable peers = new PeerTable(PEERS);
    private final StrictAccept accepts;
    private final EgressCheck egress;
    private final byte[] asked = new byte[128];
    private final byte[] local = new byte[128];
    private final byte[] scratch = new byte[Sockaddr.IN6_SIZE];
    private final Endpoints endpoints = new Endpoints();
    private final ProcessHandles handles;

    MeshCapture(ConnectRedirector redirector, Ptrace ptrace, TraceListener listener, ProcFs proc, TraceeMemory memory) {
        this.redirector = redirector;
        this.ptrace = ptrace;
        this.listener = listener;
        this.proc = proc;
        this.memory = memory;
        this.handles = new ProcessHandles(sockets, proc);
        this.accepts = new StrictAccept(redirector, proc, memory, sockets, peers);
        this.egress = new EgressCheck(redirector, sockets, handles);
    }

    /** Whether the capture works on syscall {@code nr}: stopped for it even when the listener does not want it. */
    boolean worksOn(int nr) {
        return SyscallTable.forMesh(nr) || SyscallTable.forMeshInbound(nr);
    }

    /**
     * At the entry of a trapped call the listener let run ({@code v}, with the registers in {@code regs}). Returns
     * true when it resumed the thread itself (a redirected connect, skipped); sets {@link Task#peerRewrite} when
     * the call's exit must stop for {@link #atExit}.
     */
    boolean atEntry(Task t, Syscall s, MemorySegment regs, Verdict v) {
        if (s.nr() == SyscallTable.NR_GETPEERNAME) {
            t.peerRewrite = redirectedPeer(t, regs);
            return false;
        }
        if (SyscallTable.forMeshInbound(s.nr())) {
            t.peerRewrite = accepts.atEntry(t, regs);
            return false;
        }
        if (s.nr() != SyscallTable.NR_CONNECT && s.nr() != SyscallTable.NR_BIND) {
            return false;
        }
        int fd = (int) Regs.arg(regs, 0);
        long r = s.nr() == SyscallTable.NR_BIND ? bind(t.tid, t.tgid, fd, Regs.arg(regs, 1), Regs.arg(regs, 2))
                : connect(t.tid, t.tgid, fd, Regs.arg(regs, 1), Regs.arg(regs, 2));
        if (r == RUN) {
            return false;
        }
        Regs.skipSyscall(regs, (int) -r);
        ptrace.setRegs(t.tid);
        if (v != Verdict.ALLOW) {
            listener.onSyscallExit(t.tid, t.tgid, r); // skipped: no exit stop to report it at
        }
        ptrace.cont(t.tid, 0);
        return true;
    }

    /**
     * At the exit of a getpeername {@link #atEntry} found redirected: the original destination as the answer; of an
     * accept on a socket moved to loopback: the real client ({@link StrictAccept}).
     */
    void atExit(Task t) {
        t.peerRewrite = false;
        boolean accepting = t.accepting;
        t.accepting = false;
        if (ptrace.getRegs(t.tid) < 0) {
            return;
        }
        if (accepting) {
            accepts.atExit(t, ptrace.regs(), handles::take);
            return;
        }
        if (Regs.returnValue(ptrace.regs()) != 0) {
            return;
        }
        PeerTable.Peer p = peers.get(t.peerInode);
        long address = Regs.arg(ptrace.regs(), 1);
        int n = Math.min(t.peerLength, p == null ? 0 : p.original().length);
        if (n <= 0) {
            return;
        }
        if (proc.read(t.tid, address, scratch, n) != n || !PeerTable.samePeer(scratch, p.target(), n)) {
            peers.remove(t.peerInode); // no longer our connection: the inode was reused, or the socket reconnected
            return;
        }
        memory.write(t.tid, address, p.original(), n);
    }

    /** Process {@code tgid} ran execve: its executable's path is read again at its next redirect. */
    void execed(int tgid) {
        handles.execed(tgid);
    }

    /**
     * connect(fd, address, length) of thread {@code tid}: the result the skipped call returns, or {@link #RUN}.
     * RUN for a connect the redirector leaves alone (and egress allows), for one the kernel refuses unchanged (not
     * a socket, another family's address), and for a blocking socket connected to the capture port: its own
     * connect then runs on a connecting socket, which waits for that connection whatever address it names and
     * returns its outcome (0 once established, at once on loopback; the capture port's error). A non-blocking
     * socket gets -EINPROGRESS, as a native loopback connect does; the capture port's error, if any, is then its
     * SO_ERROR. A failed bind or connect of the agent's own returns its error; see {@link RedirectSteps}.
     */
    private long connect(int tid, int tgid, int fd, long address, long length) {
        if (length <= 0 || length > asked.length) {
            return RUN;
        }
        int len = (int) length;
        int family = proc.read(tid, address, asked, len) == len ? Sockaddr.family(asked, len) : -1;
        if (family != Sockaddr.AF_INET && family != Sockaddr.AF_INET6) {
            return RUN;
        }
        if (Sockaddr.isLocal(asked, family)) { // never redirected; a link-local one (metadata) is still egress
            return egress.decideLocal(tgid, fd, asked, len);
        }
        InetSocketAddress destination = endpoints.destination(asked, len);
        InetSocketAddress to;
        try {
            Optional<InetSocketAddress> chosen = redirector.target(destination, tgid);
            if (chosen.isEmpty()) {
                return egress.decide(tgid, fd, destination);
            }
            to = chosen.get();
        } catch (RuntimeException e) { // whether the destination is meshed is unknown: refused, never let out
            return failed(destination, tgid, tid, "the redirector failed: " + e, -Errno.ECONNREFUSED);
        }
        int s = handles.take(tgid, fd);
        long taken = RedirectSteps.taken(s);
        if (taken != RedirectSteps.NEXT) {
            return taken == RUN ? RUN : failed(destination, tgid, tid, "pidfd_getfd: " + Errno.name(-s)
                    + (s == -Errno.ENOSYS ? " (Linux 5.6 or newer needed)" : ""), taken);
        }
        try {
            return redirect(s, tid, tgid, family, destination, to);
        } finally {
            sockets.close(s);
        }
    }

    /**
     * The taken socket {@code s}, asked for {@code destination} with a sockaddr of {@code family}: a TCP socket of
     * that family (which any connect that can succeed has) is connected to {@code to} without waiting, and reported
     * with the source the connect chose. Not a TCP socket: {@link #RUN},
     * the socket untouched. A step that fails decides as {@link RedirectSteps} says: never the original destination.
     */
    private long redirect(int s, int tid, int tgid, int family, InetSocketAddress destination, InetSocketAddress to) {
        if (sockets.intOption(s, Sockets.SOL_SOCKET, Sockets.SO_TYPE) != Sockets.SOCK_STREAM) {
            return RUN; // UDP, raw, or not a socket at all: the kernel's answer stands
        }
        int targetLength = endpoints.target(to, family);
        byte[] target = endpoints.target();
        int flags = sockets.statusFlags(s);
        if (targetLength < 0 || flags < 0) {
            return targetLength < 0 ? failed(destination, tgid, tid, "the capture address " + to
                    + " is IPv6 and the socket IPv4", -Errno.EAFNOSUPPORT)
                    : failed(destination, tgid, tid, "fcntl: " + Errno.name(-flags), flags);
        }
        // Not bound first: the connect to the loopback capture port picks a loopback source and its port itself,
        // and may reuse a port in TIME_WAIT, where a bind to port 0 scans the whole range and fails when none is
        // free. A socket the workload bound keeps its address.
        boolean blocking = (flags & Sockets.O_NONBLOCK) == 0;
        int r = blocking ? startConnect(s, flags, target, targetLength) : sockets.connect(s, target, targetLength);
        long result = RedirectSteps.connected(r, family, blocking);
        if (r != 0 && r != -Errno.EINPROGRESS) {
            return result == RUN ? RUN : failed(destination, tgid, tid, "connect to the capture address " + to
                    + ": " + Errno.name(-r), result);
        }
        // After the connect, so the entry may come after the capture port accepted: the proxy waits for it.
        int n = sockets.localAddress(s, local);
        if (n < 0) {
            return failed(destination, tgid, tid, "getsockname: " + Errno.name(-n), -Errno.ECONNREFUSED);
        }
        try {
            redirector.redirected(endpoints.source(local, n), destination, tgid, tid, handles.name(tgid));
        } catch (RuntimeException e) {
            return failed(destination, tgid, tid, "the redirector failed: " + e, -Errno.ECONNREFUSED);
        }
        remember(s, family, destination, target, targetLength);
        return result;
    }

    /**
     * Connects blocking socket {@code s} to the target without the tracer waiting on the network: with one
     * sendto(MSG_FASTOPEN | MSG_DONTWAIT) where the kernel allows it, else non-blocking for the connect and
     * restored at once ({@code flags}).
     */
    private int startConnect(int s, int flags, byte[] target, int targetLength) {
        int r = sockets.startConnect(s, target, targetLength);
        if (r != -Errno.EOPNOTSUPP) {
            return r;
        }
        sockets.setStatusFlags(s, flags | Sockets.O_NONBLOCK);
        r = sockets.connect(s, target, targetLength);
        sockets.setStatusFlags(s, flags);
        return r;
    }

    /** Keeps the socket's peers for getpeername; the arrays are {@link Endpoints}', shared and never written. */
    private void remember(int s, int domain, InetSocketAddress destination, byte[] target, int targetLength) {
        long inode = sockets.inode(s);
        if (inode > 0) {
            peers.put(inode, new PeerTable.Peer(endpoints.original(destination, domain, targetLength), target));
        }
    }

    /** getpeername(fd, address, &length) entry: whether fd is a redirected socket (its inode and length kept). */
    private boolean redirectedPeer(Task t, MemorySegment regs) {
        if (peers.isEmpty() || proc.statFd(t.tid, (int) Regs.arg(regs, 0)) != 0 || peers.get(proc.ino()) == null
                || proc.read(t.tid, Regs.arg(regs, 2), scratch, 4) != 4) {
            return false;
        }
        t.peerInode = proc.ino();
        t.peerLength = (scratch[0] & 0xff) | (scratch[1] & 0xff) << 8 | (scratch[2] & 0xff) << 16 | scratch[3] << 24;
        return true;
    }

    /**
     * bind(fd, address, length) of thread {@code tid}: a TCP socket's bind to the wildcard address on a port
     * {@link ConnectRedirector#loopbackOnly} names is done by the agent on loopback (127.0.0.1; ::ffff:127.0.0.1 on
     * a dual-stack AF_INET6 socket, ::1 on a v6-only one) and the call skipped with 0; if that bind fails, the call
     * fails with its error rather than bind the wildcard. Anything else: {@link #RUN}.
     */
    private long bind(int tid, int tgid, int fd, long address, long length) {
        if (length <= 0 || length > asked.length) {
            return RUN;
        }
        int len = (int) length;
        int family = proc.read(tid, address, asked, len) == len ? Sockaddr.family(asked, len) : -1;
        if (family != Sockaddr.AF_INET && family != Sockaddr.AF_INET6 || !Sockaddr.isWildcard(asked, family)) {
            return RUN;
        }
        int port = Sockaddr.port(asked);
        try {
            if (port == 0 || !redirector.loopbackOnly(port)) {
                return RUN;
            }
        } catch (RuntimeException e) { // whether the port is kept on loopback is unknown: not bound to the wildcard
            return failed(Sockaddr.decode(asked, len), tgid, tid, "the redirector failed: " + e, -Errno.EACCES);
        }
        InetSocketAddress wildcard = Sockaddr.decode(asked, len);
        int s = handles.take(tgid, fd);
        if (s < 0) {
            return s == -Errno.EBADF ? RUN : failed(wildcard, tgid, tid, "pidfd_getfd: " + Errno.name(-s),
                    -Errno.EACCES);
        }
        try {
            if (sockets.intOption(s, Sockets.SOL_SOCKET, Sockets.SO_TYPE) != Sockets.SOCK_STREAM) {
                return RUN;
            }
            boolean v6only = family == Sockaddr.AF_INET6
                    && sockets.intOption(s, Sockets.IPPROTO_IPV6, Sockets.IPV6_V6ONLY) == 1;
            InetSocketAddress loopback = new InetSocketAddress(java.net.InetAddress.ofLiteral(v6only ? "::1"
                    : "127.0.0.1"), port);
            int n = Sockaddr.encode(loopback, family, local);
            int r = sockets.bind(s, local, n);
            if (r == 0) {
                accepts.moved(sockets.inode(s));
            }
            return r == 0 ? 0 : failed(wildcard, tgid, tid, "bind to " + loopback + ": " + Errno.name(-r), r);
        } finally {
            sockets.close(s);
        }
    }

    private long failed(InetSocketAddress destination, int pid, int tid, String why, long result) {
        try {
            redirector.failed(destination, pid, tid, why + (result == RUN ? "; the call ran unchanged"
                    : "; the call failed with " + Errno.name((int) -result)));
        } catch (RuntimeException ignored) {
            // the redirector's own log failed: supervision goes on
        }
        return result;
    }
}
