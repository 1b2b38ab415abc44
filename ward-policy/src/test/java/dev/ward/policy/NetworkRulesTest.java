package dev.ward.policy;

import static dev.ward.policy.NetworkRequest.AF_INET;
import static dev.ward.policy.NetworkRequest.AF_INET6;
import static dev.ward.policy.NetworkRequest.AF_NETLINK;
import static dev.ward.policy.NetworkRequest.AF_PACKET;
import static dev.ward.policy.NetworkRequest.AF_UNIX;
import static dev.ward.policy.NetworkRequest.IPPROTO_ICMP;
import static dev.ward.policy.NetworkRequest.IPPROTO_ICMPV6;
import static dev.ward.policy.NetworkRequest.IPPROTO_SCTP;
import static dev.ward.policy.NetworkRequest.IPPROTO_TCP;
import static dev.ward.policy.NetworkRequest.IPPROTO_UDP;
import static dev.ward.policy.NetworkRequest.SOCK_DGRAM;
import static dev.ward.policy.NetworkRequest.SOCK_RAW;
import static dev.ward.policy.NetworkRequest.SOCK_SEQPACKET;
import static dev.ward.policy.NetworkRequest.SOCK_STREAM;
import static dev.ward.policy.Policies.action;
import static dev.ward.policy.Policies.compile;
import static dev.ward.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** network.matchProtocols against socket() arguments. */
class NetworkRulesTest {
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;

    private static Match ask(PolicySet s, int family, int type, int protocol, String exe) {
        return s.network(new NetworkRequest().socket(family, type, protocol).source(exe));
    }

    @ParameterizedTest(name = "{0}: socket({1}, {2}, {3}) -> {4}")
    @CsvSource({
            "tcp,    2, 1, 0,   true",
            "tcp,    10, 1, 6,  true",
            "tcp,    2, 2, 0,   false",
            "tcp,    1, 1, 0,   false",
            "udp,    2, 2, 0,   true",
            "udp,    10, 2, 17, true",
            "udp,    2, 1, 0,   false",
            "icmp,   2, 2, 1,   true",
            "icmp,   2, 3, 1,   true",
            "icmp,   10, 3, 58, false",
            "icmpv6, 10, 3, 58, true",
            "icmpv6, 10, 2, 58, true",
            "icmpv6, 2, 3, 1,   false",
            "raw,    2, 3, 255, true",
            "raw,    17, 3, 768, true",
            "raw,    2, 1, 0,   false",
            "sctp,   2, 1, 132, true",
            "sctp,   2, 5, 0,   true",
            "sctp,   2, 1, 0,   false",
            "all,    2, 1, 0,   true",
            "all,    17, 3, 0,  true",
            "all,    1, 1, 0,   false",
            "all,    16, 3, 0,  false",
            "stream, 10, 1, 0,  true",
            "dgram,  2, 2, 17,  true",
            "seqpacket, 2, 5, 132, true",
    })
    void protocolClassification(String protocol, int family, int type, int proto, boolean matches) {
        PolicySet s = compile(policy("p", "network: {matchProtocols: [{protocol: " + protocol + "}]}"), "c");
        assertThat(action(ask(s, family, type, proto, "/bin/x"))).isEqualTo(matches ? Action.BLOCK : null);
    }

    @Test
    void typeFlagsAreIgnored() {
        PolicySet s = compile(policy("p", "network: {matchProtocols: [{protocol: TCP}]}"), "c");
        assertThat(action(ask(s, AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, "/bin/x")))
                .isEqualTo(Action.BLOCK);
    }

    @Test
    void icmpAuditAndRawBlocked() {
        PolicySet s = compile(policy("p", """
                network:
                  matchProtocols:
                  - {protocol: icmp, action: Audit}
                  - {protocol: raw, action: Block}
                """), "c");
        assertThat(action(ask(s, AF_INET, SOCK_DGRAM, IPPROTO_ICMP, "/bin/ping"))).isEqualTo(Action.AUDIT);
        assertThat(action(ask(s, AF_INET, SOCK_RAW, IPPROTO_ICMP, "/bin/ping"))).isEqualTo(Action.BLOCK);
        assertThat(action(ask(s, AF_PACKET, SOCK_RAW, 0, "/bin/tcpdump"))).isEqualTo(Action.BLOCK);
        assertThat(ask(s, AF_INET, SOCK_STREAM, IPPROTO_TCP, "/bin/curl")).isNull();
    }

    @Test
    void tcpAllowedOnlyFromCurlWithDefaultPostureForEverythingElse() {
        PolicySet s = compile(policy("p", """
                network:
                  matchProtocols:
                  - protocol: tcp
                    fromSource: [{path: /usr/bin/curl}]
                action: Allow
                """), "c", new Posture(Action.AUDIT, Action.BLOCK, Action.AUDIT));
        assertThat(action(ask(s, AF_INET, SOCK_STREAM, 0, "/usr/bin/curl"))).isEqualTo(Action.ALLOW);
        Match udp = ask(s, AF_INET6, SOCK_DGRAM, IPPROTO_UDP, "/usr/bin/curl");
        assertThat(udp.defaultPosture()).isTrue();
        assertThat(udp.action()).isEqualTo(Action.BLOCK);
        assertThat(udp.operation()).isEqualTo(Operation.NETWORK);
        assertThat(ask(s, AF_INET, SOCK_STREAM, 0, "/usr/bin/wget").defaultPosture()).isTrue();
        // Local sockets are not network operations: no rule, no posture.
        assertThat(ask(s, AF_UNIX, SOCK_STREAM, 0, "/usr/bin/wget")).isNull();
        assertThat(ask(s, AF_NETLINK, SOCK_RAW, 0, "/usr/bin/wget")).isNull();
    }

    @Test
    void commaSeparatedProtocolsAndFromSourceDirectories() {
        PolicySet s = compile(policy("p", """
                network:
                  matchProtocols:
                  - protocol: udp,icmpv6,sctp
                    fromSource: [{dir: /opt/bad/, recursive: true}]
                """), "c");
        assertThat(action(ask(s, AF_INET, SOCK_DGRAM, 0, "/opt/bad/x/y"))).isEqualTo(Action.BLOCK);
        assertThat(action(ask(s, AF_INET6, SOCK_RAW, IPPROTO_ICMPV6, "/opt/bad/y"))).isEqualTo(Action.BLOCK);
        assertThat(action(ask(s, AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP, "/opt/bad/z"))).isEqualTo(Action.BLOCK);
        assertThat(ask(s, AF_INET, SOCK_DGRAM, 0, "/usr/bin/dig")).isNull();
        assertThat(s.ruleCount()).isEqualTo(3);
    }

    @Test
    void blockAllExceptTcpFromOneSource() {
        PolicySet s = compile(policy("p", """
                network:
                  matchProtocols:
                  - {protocol: all, action: Block}
                  - {protocol: tcp, action: Allow, fromSource: [{path: /app/server}]}
                """), "c");
        assertThat(action(ask(s, AF_INET, SOCK_STREAM, 0, "/app/server"))).isEqualTo(Action.ALLOW);
        assertThat(action(ask(s, AF_INET, SOCK_DGRAM, 0, "/app/server"))).isEqualTo(Action.BLOCK);
        assertThat(action(ask(s, AF_INET, SOCK_STREAM, 0, "/bin/sh"))).isEqualTo(Action.BLOCK);
    }
}
