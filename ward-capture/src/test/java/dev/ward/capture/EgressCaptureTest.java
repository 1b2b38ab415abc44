package dev.ward.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntBiFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Egress decisions at the workload's own connect(2), under the real tracer: the redirector redirects nothing and
 * lets only curl out; python3's TCP connects fail with EACCES (to a link-local metadata address too) while its UDP
 * "connect" and its loopback connect are never asked about. The destination is this machine's own non-loopback
 * address, with a server here.
 */
@Tag("process")
class EgressCaptureTest {
    @TempDir
    Path dir;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @Test
    void onlyCurlMayConnectAndPythonGetsEacces() throws Exception {
        InetAddress self = ownAddress();
        assumeTrue(self != null, "no non-loopback IPv4 address");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.ofLiteral("0.0.0.0"))) {
            Thread.ofVirtual().start(() -> answer(server));
            String to = self.getHostAddress() + ":" + server.getLocalPort();
            Path script = Files.writeString(dir.resolve("c.py"), """
                    import socket, errno
                    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.connect(('%1$s', %2$d)); print('udp ok')
                    s = socket.socket(); s.settimeout(3)
                    try:
                        s.connect(('%1$s', %2$d)); print('tcp connected')
                    except OSError as e:
                        print('tcp', errno.errorcode[e.errno])
                    m = socket.socket(); m.settimeout(3)
                    try:
                        m.connect(('169.254.169.254', 80)); print('metadata connected')
                    except OSError as e:
                        print('metadata', errno.errorcode.get(e.errno, e.errno))
                    l = socket.create_connection(('127.0.0.1', %3$d), timeout=3); print('loopback ok')
                    """.formatted(self.getHostAddress(), server.getLocalPort(), server.getLocalPort()));
            String out = run("curl -s -S --max-time 5 http://" + to + "/ ; python3 " + script);
            assertThat(out.lines().toList()).containsExactly("hi from the server", "udp ok", "tcp EACCES",
                    "metadata EACCES", "loopback ok");
        }
        assertThat(asked).hasSize(3);
        assertThat(asked.get(0)).startsWith("/" + self.getHostAddress() + ":").endsWith(" /usr/bin/curl");
        assertThat(asked.get(1)).contains("python3");
        assertThat(asked.get(2)).startsWith("/169.254.169.254:80 ").contains("python3");
    }

    @Test
    void aRedirectorThatFailsRefusesTheConnectInsteadOfLettingItOut() throws Exception {
        InetAddress self = ownAddress();
        assumeTrue(self != null, "no non-loopback IPv4 address");
        try (ServerSocket egressFault = new ServerSocket(0, 50, InetAddress.ofLiteral("0.0.0.0"));
                ServerSocket targetFault = new ServerSocket(0, 50, InetAddress.ofLiteral("0.0.0.0"))) {
            Thread.ofVirtual().start(() -> answer(egressFault));
            Thread.ofVirtual().start(() -> answer(targetFault));
            int egressPort = egressFault.getLocalPort();
            Path script = Files.writeString(dir.resolve("f.py"), """
                    import socket, errno
                    for port in (%2$d, %3$d):
                        s = socket.socket(); s.settimeout(3)
                        try:
                            s.connect(('%1$s', port)); print('connected')
                        except OSError as e:
                            print(errno.errorcode[e.errno])
                    """.formatted(self.getHostAddress(), egressPort, targetFault.getLocalPort()));
            String out = run("python3 " + script, new EgressOnly((destination, processName) -> {
                throw new IllegalStateException("the egress policies failed");
            }) {
                @Override
                public Optional<InetSocketAddress> target(InetSocketAddress destination, int pid) {
                    if (destination.getPort() != egressPort) {
                        throw new IllegalStateException("the directory failed");
                    }
                    return Optional.empty();
                }
            });
            // both servers listen: a fault that let the call run would print "connected"
            assertThat(out.lines().toList()).containsExactly("EACCES", "ECONNREFUSED");
        }
    }

    private String run(String command) throws Exception {
        return run(command, new EgressOnly((destination, processName) -> {
            asked.add(destination + " " + processName);
            return processName.endsWith("/curl") ? 0 : 13;
        }));
    }

    private String run(String command, ConnectRedirector redirector) throws Exception {
        Path out = dir.resolve("stdout");
        Supervisor s = Supervisor.start(new Supervisor.Spec("/bin/sh", List.of("sh", "-c", "(" + command + ") > "
                + out), List.of("PATH=/usr/bin:/bin:" + System.getenv("PATH")), dir.toString()),
                new SupervisorTest.Recorder(), redirector);
        s.awaitExit();
        return Files.readString(out);
    }

    private static void answer(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket c = server.accept()) {
                c.getInputStream().read(new byte[4096]);
                c.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Length: 19\r\n\r\nhi from the server\n"
                        .getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static InetAddress ownAddress() throws IOException {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (n.isUp() && !n.isLoopback()) {
                for (InetAddress a : Collections.list(n.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        return a;
                    }
                }
            }
        }
        return null;
    }

    /** Redirects nothing; egress policies apply and {@code decision} gives each connect's errno (0: let it run). */
    private static class EgressOnly implements ConnectRedirector {
        private final ToIntBiFunction<InetSocketAddress, String> decision;

        EgressOnly(ToIntBiFunction<InetSocketAddress, String> decision) {
            this.decision = decision;
        }

        @Override
        public Optional<InetSocketAddress> target(InetSocketAddress destination, int pid) {
            return Optional.empty();
        }

        @Override
        public void redirected(InetSocketAddress localSource, InetSocketAddress originalDestination, int pid, int tid,
                String processName) {
            throw new AssertionError("nothing is redirected");
        }

        @Override
        public boolean egressOn() {
            return true;
        }

        @Override
        public int egress(InetSocketAddress destination, int pid, String processName) {
            return decision.applyAsInt(destination, processName);
        }
    }
}
