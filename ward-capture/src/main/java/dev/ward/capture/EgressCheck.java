package dev.ward.capture;

import dev.ward.bindings.Errno;
import dev.ward.bindings.Sockets;
import java.net.InetSocketAddress;

/**
 * Egress policies at a TCP connect the capture leaves alone ({@link MeshCapture}): when the redirector says they
 * apply, the workload's socket is looked at (a TCP one only: UDP "connects" such as DNS lookups are not
 * connections) and the redirector decides from the destination and the executable; a refusal skips the call with
 * its errno, the socket untouched. Tracer thread only.
 */
final class EgressCheck {
    private final ConnectRedirector redirector;
    private final Sockets sockets;
    private final ProcessHandles handles;

    EgressCheck(ConnectRedirector redirector, Sockets sockets, ProcessHandles handles) {
        this.redirector = redirector;
        this.sockets = sockets;
        this.handles = handles;
    }

    /**
     * The connect of {@code fd} by thread {@code tid} of process {@code tgid} to {@code destination}:
     * {@link MeshCapture#RUN}, or the -errno the skipped call returns. A redirector that fails refuses the call
     * (EACCES): an egress policy that cannot be read is not a reason to let a connect out.
     */
    long decide(int tgid, int fd, InetSocketAddress destination) {
        try {
            if (!redirector.egressOn() || !isTcp(tgid, fd)) {
                return MeshCapture.RUN;
            }
            int errno = redirector.egress(destination, tgid, handles.name(tgid));
            return errno > 0 ? -errno : MeshCapture.RUN;
        } catch (RuntimeException e) {
            return -Errno.EACCES;
        }
    }

    /**
     * A connect to a local address ({@link dev.ward.bindings.Sockaddr#isLocal}): loopback and unspecified ones run;
     * a link-local one (169.254.0.0/16 with the cloud's metadata endpoints, fe80::/10) is decided as any other.
     */
    long decideLocal(int tgid, int fd, byte[] sockaddr, int length) {
        if (!redirector.egressOn()) {
            return MeshCapture.RUN;
        }
        InetSocketAddress destination = dev.ward.bindings.Sockaddr.decode(sockaddr, length);
        return destination.getAddress().isLinkLocalAddress() ? decide(tgid, fd, destination) : MeshCapture.RUN;
    }

    private boolean isTcp(int tgid, int fd) {
        int s = handles.take(tgid, fd);
        if (s < 0) {
            return false;
        }
        try {
            return sockets.intOption(s, Sockets.SOL_SOCKET, Sockets.SO_TYPE) == Sockets.SOCK_STREAM;
        } finally {
            sockets.close(s);
        }
    }
}
