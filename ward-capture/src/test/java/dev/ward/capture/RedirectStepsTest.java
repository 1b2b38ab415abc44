package dev.ward.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.bindings.Errno;
import dev.ward.bindings.Sockaddr;
import org.junit.jupiter.api.Test;

/**
 * The redirect fails closed once the capture port was chosen. A real exhaustion of the loopback ports is not
 * practical here: it needs the whole ephemeral range (28k ports by default) held or in TIME_WAIT, or a narrowed
 * net.ipv4.ip_local_port_range, which is root-only and shared with everything else on the machine; so the decision
 * is tested on the syscall results, and MeshCaptureTest and MeshCaptureProcessTest run the paths a real process
 * takes (bound sockets, another family's address, a capture port that is down).
 */
class RedirectStepsTest {

    @Test
    void aConnectWithNoPortFreeOrRefusedFailsTheCall() {
        for (boolean blocking : new boolean[] {true, false}) {
            assertThat(RedirectSteps.connected(-Errno.EADDRNOTAVAIL, Sockaddr.AF_INET, blocking))
                    .isEqualTo(-Errno.EADDRNOTAVAIL);
            assertThat(RedirectSteps.connected(-Errno.ECONNREFUSED, Sockaddr.AF_INET6, blocking))
                    .isEqualTo(-Errno.ECONNREFUSED);
            // EINVAL to a sockaddr_in6 is no family mix-up: never left to run to the destination.
            assertThat(RedirectSteps.connected(-Errno.EINVAL, Sockaddr.AF_INET6, blocking)).isEqualTo(-Errno.EINVAL);
            assertThat(RedirectSteps.connected(-Errno.EINVAL, Sockaddr.AF_INET, blocking)).isEqualTo(MeshCapture.RUN);
            // an AF_INET socket asked with a sockaddr_in6: the kernel refuses the workload's connect likewise
            assertThat(RedirectSteps.connected(-Errno.EAFNOSUPPORT, Sockaddr.AF_INET6, blocking))
                    .isEqualTo(MeshCapture.RUN);
            assertThat(RedirectSteps.connected(-Errno.EAFNOSUPPORT, Sockaddr.AF_INET, blocking))
                    .isEqualTo(-Errno.EAFNOSUPPORT);
        }
    }

    @Test
    void aStartedConnectIsTheCallsResultOrWaitedForByABlockingSocket() {
        assertThat(RedirectSteps.connected(0, Sockaddr.AF_INET, true)).isZero();
        assertThat(RedirectSteps.connected(-Errno.EINPROGRESS, Sockaddr.AF_INET, false)).isEqualTo(-Errno.EINPROGRESS);
        assertThat(RedirectSteps.connected(-Errno.EINPROGRESS, Sockaddr.AF_INET, true)).isEqualTo(MeshCapture.RUN);
    }

    @Test
    void aSocketThatCannotBeTakenIsRefusedUnlessTheDescriptorIsNotOpen() {
        assertThat(RedirectSteps.taken(5)).isEqualTo(RedirectSteps.NEXT);
        assertThat(RedirectSteps.taken(-Errno.EBADF)).isEqualTo(MeshCapture.RUN);
        assertThat(RedirectSteps.taken(-Errno.EPERM)).isEqualTo(-Errno.EACCES);
        assertThat(RedirectSteps.taken(-Errno.ENOSYS)).isEqualTo(-Errno.EACCES);
        assertThat(RedirectSteps.taken(-Errno.EMFILE)).isEqualTo(-Errno.EACCES);
    }
}
