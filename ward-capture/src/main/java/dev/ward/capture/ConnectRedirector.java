package dev.ward.capture;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The mesh's say in the transparent capture: which TCP connects of the workload go to the local capture port
 * instead of their destination, and what became of them; which wildcard binds are moved to loopback. Given to
 * {@link Supervisor#start(Supervisor.Spec, TraceListener, ConnectRedirector)}; the tracer does the rest (see
 * {@code MeshCapture} and docs/mesh-capture.md).
 *
 * <p>Called on the tracer thread, in the middle of a stopped connect(2): answer at once and never block (a
 * lookup in a table another thread fills is fine). An exception refuses the call it was asked about (a connect
 * fails with ECONNREFUSED, or EACCES where an egress decision or a strict-inbound bind was asked): a fault in the
 * mesh never lets a connection around it.
 *
 * <pre>{@code
 * ConnectRedirector r = new ConnectRedirector() {
 *     public Optional<InetSocketAddress> target(InetSocketAddress destination, int pid) {
 *         return meshed(destination) ? Optional.of(new InetSocketAddress("127.0.0.1", 15001)) : Optional.empty();
 *     }
 *     public void redirected(InetSocketAddress source, InetSocketAddress destination, int pid, int tid, String exe) {
 *         pending.put(source, destination); // the proxy looks it up when it accepts from source
 *     }
 * };
 * }</pre>
 */
public interface ConnectRedirector {
    /**
     * Where a connect of process {@code pid} to {@code destination} goes instead (the capture port on 127.0.0.1
     * for an IPv4 destination; ::1 or 127.0.0.1 for an IPv6 one), or empty to leave it alone. Never asked for
     * loopback, link-local or unspecified destinations, which are never captured.
     */
    Optional<InetSocketAddress> target(InetSocketAddress destination, int pid);

    /**
     * The workload's socket, connecting from {@code localSource} to the target: the connection the capture port
     * accepts from {@code localSource} is for {@code originalDestination}. Called right after the connect started
     * (the connect chooses the source port), so the capture port may accept before the entry is there and must
     * wait a little for it (microseconds: the tracer calls this before it resumes the workload, which sends
     * nothing before its connect returns).
     */
    void redirected(InetSocketAddress localSource, InetSocketAddress originalDestination, int pid, int tid,
            String processName);

    /**
     * A connect {@link #target} chose could not be redirected ({@code why} says which step failed and how it
     * ended). It fails closed: the workload's connect failed with an errno (the failed step's own, such as
     * EADDRNOTAVAIL when no loopback port is free, ECONNREFUSED from a capture port that is down; EACCES when the
     * socket could not be taken) and never reached the destination around the mesh. Only where the kernel refuses
     * the call anyway (a descriptor that is not open) did the workload's own connect run. For the agent's log.
     */
    default void failed(InetSocketAddress destination, int pid, int tid, String why) {
    }

    /**
     * Strict inbound: whether a TCP socket's bind to the wildcard address (0.0.0.0 or ::) on {@code port} is moved
     * to loopback, so that only the mesh's inbound listener, which delivers to 127.0.0.1:PORT, reaches it.
     */
    default boolean loopbackOnly(int port) {
        return false;
    }

    /**
     * Strict inbound is on: accept(2) and accept4(2) are trapped too ({@link Family#MESH_INBOUND}), so that a
     * connection accepted on a socket {@link #loopbackOnly} moved shows the {@link #realPeer} to the workload.
     */
    default boolean strictInbound() {
        return false;
    }

    /**
     * The real client of a connection accepted on a moved socket from {@code loopbackPeer} (the mesh's own loopback
     * address), which accept and getpeername then answer instead; empty to leave the kernel's answer.
     */
    default Optional<InetSocketAddress> realPeer(InetSocketAddress loopbackPeer) {
        return Optional.empty();
    }

    /**
     * Whether egress policies apply: then each TCP connect {@link #target} leaves alone is put to {@link #egress},
     * which costs the tracer a pidfd_getfd and a getsockopt (the socket's type) and a readlink (the executable).
     */
    default boolean egressOn() {
        return false;
    }

    /**
     * A TCP connect of process {@code pid} ({@code processName}, its executable's path) to {@code destination} that
     * is not redirected: 0 lets it run; a positive errno fails the call with it, the socket untouched.
     */
    default int egress(InetSocketAddress destination, int pid, String processName) {
        return 0;
    }
}
