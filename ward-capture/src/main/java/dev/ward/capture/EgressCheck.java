package dev.ward.capture;

import dev.ward.bindings.ProcFs;
import dev.ward.bindings.Sockets;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.IntBinaryOperator;

/**
 * Egress policies at a TCP connect the capture leaves alone ({@link MeshCapture}): when the redirector says they
 * apply, the workload's socket is looked at (a TCP one only: UDP "connects" such as DNS lookups are not
 * connections) and the redirector decides from the destination and the executable; a refusal skips the call with
 * its errno, the socket untouched. Tracer thread only; the executable's buffer is reused.
 */
final class EgressCheck {
    private final ConnectRedirector redirector;
    private final Sockets sockets;
    private final ProcFs proc;
    private final IntBinaryOperator take;
    private final byte[] exe = new byte[ProcFs.PATH_MAX];

    /** {@code take}: (tgid, fd) to the agent's copy of the workload's descriptor, or -errno. */
    EgressCheck(ConnectRedirector redirector, Sockets sockets, ProcFs proc, IntBinaryOperator take) {
        this.redirector = redirector;
        this.sockets = sockets;
        this.proc = proc;
        this.take = take;
    }

    /**
     * The connect of {@code fd} by thread {@code tid} of process {@code tgid} to {@code destination}:
     * {@link MeshCapture#RUN}, or the -errno the skipped call returns. A redirector that fails lets the call run.
     */
    long decide(int tgid, int fd, InetSocketAddress destination) {
        try {
            if (!redirector.egressOn() || !isTcp(tgid, fd)) {
                return MeshCapture.RUN;
            }
            int errno = redirector.egress(destination, tgid, processName(tgid));
            return errno > 0 ? -errno : MeshCapture.RUN;
        } catch (RuntimeException e) {
            return MeshCapture.RUN;
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

    /** The executable of process {@code tgid} (its path), "" when it cannot be read. */
    String processName(int tgid) {
        int n = proc.exe(tgid, exe);
        return n > 0 ? new String(exe, 0, n, StandardCharsets.UTF_8) : "";
    }

    private boolean isTcp(int tgid, int fd) {
        int s = take.applyAsInt(tgid, fd);
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
