package dev.ward.capture;

import dev.ward.bindings.Errno;
import dev.ward.bindings.Sockaddr;

/**
 * What a redirect does when one of its steps fails, once {@link ConnectRedirector#target} chose the capture port.
 * It fails closed: the workload's own connect runs ({@link MeshCapture#RUN}) only where the kernel is sure to
 * refuse it as it would uncaptured (not a socket, another family's address); every other failure fails the call
 * with an errno, so that a meshed destination is never reached around the mesh (docs/mesh-capture.md, Failures).
 * Pure functions of the syscall results, so that the decision is tested without a tracer.
 */
final class RedirectSteps {
    /** "Go on with the next step": no syscall result or {@link MeshCapture#RUN} is positive. */
    static final long NEXT = 1;

    private RedirectSteps() {
    }

    /**
     * pidfd_getfd's result {@code s}, when negative: EBADF (no such descriptor) is the kernel's own answer to the
     * workload's connect; any other (EPERM for a non-dumpable process, ENOSYS before Linux 5.6, EMFILE) fails the
     * call with EACCES, as a strict-inbound bind whose socket cannot be taken does.
     */
    static long taken(int s) {
        return s >= 0 ? NEXT : s == -Errno.EBADF ? MeshCapture.RUN : -Errno.EACCES;
    }

    /**
     * The agent's connect (or sendto) of the socket to the capture port returned {@code r}, the workload asking with
     * a sockaddr of {@code family}: 0 is the call's result; EINPROGRESS is the call's result on a non-blocking
     * socket, and on a blocking one its own connect waits for it. A family mix-up leaves the socket unchanged and
     * the kernel refuses the workload's own connect the same way: EINVAL to a sockaddr_in means an AF_INET6 socket
     * (the length is not a sockaddr_in6's), EAFNOSUPPORT to a sockaddr_in6 an AF_INET socket; both run the call.
     * Any other error (EADDRNOTAVAIL with no port free to connect from, ECONNREFUSED) fails the call with it.
     */
    static long connected(int r, int family, boolean blocking) {
        if (r == 0) {
            return 0;
        }
        if (r == -Errno.EINPROGRESS) {
            return blocking ? MeshCapture.RUN : r;
        }
        boolean mixUp = r == -Errno.EINVAL && family == Sockaddr.AF_INET
                || r == -Errno.EAFNOSUPPORT && family == Sockaddr.AF_INET6;
        return mixUp ? MeshCapture.RUN : r;
    }
}
