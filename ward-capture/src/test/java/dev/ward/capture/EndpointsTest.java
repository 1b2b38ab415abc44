package dev.ward.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.bindings.Errno;
import dev.ward.bindings.Sockaddr;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a redirect keeps from the last one answers exactly what decoding and encoding afresh answer, whatever came
 * before, and never writes an array it handed out.
 */
class EndpointsTest {
    private static final InetSocketAddress V4 = new InetSocketAddress(InetAddress.ofLiteral("198.51.100.7"), 80);
    private static final InetSocketAddress V4_OTHER_PORT = new InetSocketAddress(V4.getAddress(), 443);
    private static final InetSocketAddress V6 = new InetSocketAddress(InetAddress.ofLiteral("2001:db8::7"), 80);

    @Test
    void aDestinationIsWhatDecodingAnswersAndTheSameObjectWhileItRepeats() throws Exception {
        Endpoints e = new Endpoints();
        InetSocketAddress scoped = new InetSocketAddress(Inet6Address.getByAddress(null,
                InetAddress.ofLiteral("fe80::1").getAddress(), 3), 80);
        List<byte[]> asked = List.of(raw(V4, Sockaddr.AF_INET), raw(V4, Sockaddr.AF_INET),
                raw(V4_OTHER_PORT, Sockaddr.AF_INET), raw(V4, Sockaddr.AF_INET6), raw(V6, Sockaddr.AF_INET6),
                raw(scoped, Sockaddr.AF_INET6), raw(V6, Sockaddr.AF_INET6), raw(V4, Sockaddr.AF_INET));
        InetSocketAddress last = null;
        for (byte[] a : asked) {
            InetSocketAddress d = e.destination(a, a.length);
            assertThat(d).isEqualTo(Sockaddr.decode(a, a.length));
            if (last != null && last.equals(d)) {
                assertThat(d).isSameAs(last);
            }
            last = d;
        }
        byte[] scopedRaw = raw(scoped, Sockaddr.AF_INET6);
        assertThat(((Inet6Address) e.destination(scopedRaw, scopedRaw.length).getAddress()).getScopeId()).isEqualTo(3);
        byte[] short6 = Arrays.copyOf(raw(V6, Sockaddr.AF_INET6), 24); // no scope_id: still an address
        assertThat(e.destination(short6, 24)).isEqualTo(V6);
    }

    @Test
    void aSourceKeepsTheAddressAndTakesEachNewPort() {
        Endpoints e = new Endpoints();
        InetSocketAddress lo = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 40_000);
        InetSocketAddress lo2 = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.2"), 40_001);
        InetSocketAddress mapped = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 40_002);
        for (byte[] s : List.of(raw(lo, Sockaddr.AF_INET), raw(new InetSocketAddress(lo.getAddress(), 40_003),
                Sockaddr.AF_INET), raw(lo2, Sockaddr.AF_INET), raw(mapped, Sockaddr.AF_INET6),
                raw(new InetSocketAddress(InetAddress.ofLiteral("::1"), 40_004), Sockaddr.AF_INET6))) {
            assertThat(e.source(s, s.length)).isEqualTo(Sockaddr.decode(s, s.length));
        }
    }

    @Test
    void theTargetAndOriginalAreTheEncodingsAndOnesHandedOutAreNeverWritten() {
        Endpoints e = new Endpoints();
        InetSocketAddress capture = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 15001);
        assertThat(e.target(capture, Sockaddr.AF_INET)).isEqualTo(Sockaddr.IN_SIZE);
        byte[] v4 = e.target();
        byte[] v4Copy = v4.clone();
        assertThat(v4).isEqualTo(Arrays.copyOf(raw(capture, Sockaddr.AF_INET), Sockaddr.IN_SIZE));
        assertThat(e.target(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 15001), Sockaddr.AF_INET))
                .isEqualTo(Sockaddr.IN_SIZE);
        assertThat(e.target()).isSameAs(v4);

        assertThat(e.target(capture, Sockaddr.AF_INET6)).isEqualTo(Sockaddr.IN6_SIZE);
        assertThat(e.target()).isEqualTo(raw(capture, Sockaddr.AF_INET6)).hasSize(Sockaddr.IN6_SIZE);
        assertThat(v4).isEqualTo(v4Copy);

        InetSocketAddress capture6 = new InetSocketAddress(InetAddress.ofLiteral("::1"), 15001);
        assertThat(e.target(capture6, Sockaddr.AF_INET)).isEqualTo(-Errno.EAFNOSUPPORT);
        assertThat(e.target(capture6, Sockaddr.AF_INET6)).isEqualTo(Sockaddr.IN6_SIZE);

        byte[] o4 = e.original(V4, Sockaddr.AF_INET, Sockaddr.IN_SIZE);
        assertThat(o4).isEqualTo(raw(V4, Sockaddr.AF_INET));
        assertThat(e.original(V4, Sockaddr.AF_INET, Sockaddr.IN_SIZE)).isSameAs(o4);
        assertThat(e.original(V4, Sockaddr.AF_INET6, Sockaddr.IN6_SIZE)).isEqualTo(raw(V4, Sockaddr.AF_INET6));
        assertThat(e.original(V6, Sockaddr.AF_INET6, Sockaddr.IN6_SIZE)).isEqualTo(raw(V6, Sockaddr.AF_INET6));
        assertThat(o4).isEqualTo(raw(V4, Sockaddr.AF_INET));
    }

    private static byte[] raw(InetSocketAddress a, int family) {
        byte[] out = new byte[family == Sockaddr.AF_INET ? Sockaddr.IN_SIZE : Sockaddr.IN6_SIZE];
        Sockaddr.encode(a, family, out);
        return out;
    }
}
