package dev.ward.api.spi;

import java.net.InetSocketAddress;

/**
 * Transparent outbound capture (the mesh): the supervisor asks, at a workload's TCP {@code connect()} stop,
 * whether to send that connection somewhere else (the mesh's capture port) instead. The application's memory is
 * never written: the supervisor connects the application's own socket to the returned address and tells
 * {@link #redirected} which local address the proxy sees it come from, right after the connect started and before
 * the application's call returns (the proxy may accept first, and waits for the entry).
 *
 * <p>Both methods run on the tracer thread: they must answer from memory and never block.
 */
public interface ConnectCapture {

    /** errno "Permission denied": what {@link #egress} answers to refuse a connect (as a KubeArmor Block does). */
    int EACCES = 13;

    /** Where to connect instead, or null to leave this connect alone (not a meshed destination). */
    InetSocketAddress redirect(InetSocketAddress destination, int pid);

    /**
     * The connection that will arrive from {@code localSource} is the application's connect to
     * {@code originalDestination}, made by process {@code pid} ({@code processName}).
     */
    void redirected(InetSocketAddress localSource, InetSocketAddress originalDestination, int pid, int tid,
            String processName);

    /**
     * Strict inbound: whether the workload's wildcard bind of TCP {@code port} is to be made on the loopback instead,
     * so that only the mesh (which delivers there) can reach it from outside the task.
     */
    default boolean loopbackOnly(int port) {
        return false;
    }

    /**
     * Strict inbound is on: the supervisor then also stops at accept(2) on the sockets it moved to the loopback, to
     * hand the application the real client ({@link #realPeer}) instead of the mesh's loopback address.
     */
    default boolean strictInbound() {
        return false;
    }

    /**
     * The real client behind a connection the mesh delivered to the application from {@code loopbackPeer} (the
     * address the application's accept() and getpeername() would see), or null to leave the address as it is.
     */
    default InetSocketAddress realPeer(InetSocketAddress loopbackPeer) {
        return null;
    }

    /**
     * Whether egress policies apply to the workload: the supervisor then asks {@link #egress} about each TCP connect
     * it does not {@link #redirect} (never about loopback or unspecified destinations; link-local ones, such as the
     * metadata endpoint 169.254.169.254, are never redirected but are asked about).
     */
    default boolean egressOn() {
        return false;
    }

    /**
     * An outbound TCP connect of process {@code pid} (its executable's path {@code processName}, "" when unknown) to
     * {@code destination} that is not redirected: 0 lets it run, an errno ({@link #EACCES}) is what the workload's
     * connect fails with instead. Only the address is known here, not the name the workload resolved.
     */
    default int egress(InetSocketAddress destination, int pid, String processName) {
        return 0;
    }
}
