package dev.ward.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transparent capture on real programs under the real tracer. A ServerSocket here stands for the mesh's
 * capture port: it answers each connection with the original destination the redirector recorded for its source.
 * The destinations are documentation addresses (TEST-NET-2, 2001:db8::/32); whatever the network does with them (a
 * gateway may answer), only the capture port answers "meshed to" with the destination, so the answer proves the
 * redirect.
 */
@Tag("process")
class MeshCaptureTest {
    private static final String MESHED = "198.51.100.7";
    private static final String DECLINED = "198.51.100.8";

    @TempDir
    Path dir;
    private CapturePort v4;
    private CapturePort v6;
    private final Redirector redirector = new Redirector();

    @BeforeEach
    void listen() throws IOException {
        v4 = new CapturePort(InetAddress.ofLiteral("127.0.0.1"), redirector.sources);
        v6 = new CapturePort(InetAddress.ofLiteral("::1"), redirector.sources);
    }

    @AfterEach
    void close() throws IOException {
        v4.close();
        v6.close();
    }

    @Test
    void curlsNonBlockingConnectIsRedirected() throws Exception {
        String out = run("exec curl -s -S --max-time 5 http://" + MESHED + "/hello");
        assertThat(out).isEqualTo("meshed to /" + MESHED + ":80\n");
        assertThat(v4.requests).anyMatch(r -> r.startsWith("GET /hello HTTP/1.1"));
        assertThat(redirector.redirected).singleElement().satisfies(r -> assertThat(r).contains(
                "-> /" + MESHED + ":80").contains("curl"));
    }

    @Test
    void pythonWithBlockingSocketsIPv4MappedAndIPv6() throws Exception {
        Path script = Files.writeString(dir.resolve("client.py"), """
                import socket, sys
                def ask(family, address, bind=None):
                    s = socket.socket(family)
                    if bind is not None:
                        s.bind(bind)
                    s.connect(address)
                    s.sendall(b'GET / HTTP/1.0\\r\\n\\r\\n')
                    body = s.makefile('rb').read().decode().split('\\r\\n\\r\\n')[1].strip()
                    print(s.getpeername()[:2], body, s.getsockname()[1] if bind else '', flush=True)
                ask(socket.AF_INET, ('%1$s', 80))
                ask(socket.AF_INET6, ('::ffff:%1$s', 8080))
                ask(socket.AF_INET6, ('2001:db8::7', 443))
                ask(socket.AF_INET, ('%1$s', 81), ('0.0.0.0', 0))
                import errno, select
                n = socket.socket(); n.setblocking(False)
                print('non-blocking', errno.errorcode.get(n.connect_ex(('%1$s', 82)), 0), flush=True)
                select.select([], [n], [], 5)
                print(n.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), n.getpeername(), flush=True)
                """.formatted(MESHED));
        List<String> lines = run("exec python3 " + script).lines().toList();
        assertThat(lines).hasSize(6);
        assertThat(lines.get(4)).isIn("non-blocking EINPROGRESS", "non-blocking 0");
        assertThat(lines.get(5)).isEqualTo("0 ('" + MESHED + "', 82)");
        assertThat(lines.get(0)).isEqualTo("('" + MESHED + "', 80) meshed to /" + MESHED + ":80 ");
        assertThat(lines.get(1)).isEqualTo("('::ffff:" + MESHED + "', 8080) meshed to /" + MESHED + ":8080 ");
        assertThat(lines.get(2)).isEqualTo("('2001:db8::7', 443) meshed to /[2001:db8:0:0:0:0:0:7]:443 ");
        // A socket the workload bound keeps its port: the capture port sees it as the source.
        String port = lines.get(3).substring(lines.get(3).lastIndexOf(' ') + 1);
        assertThat(lines.get(3)).startsWith("('" + MESHED + "', 81) meshed to /" + MESHED + ":81 ");
        assertThat(redirector.redirected).contains("/127.0.0.1:" + port + " -> /" + MESHED + ":81 python");
        assertThat(v6.requests).hasSize(1); // the IPv6 destination went to the IPv6 capture address
        assertThat(redirector.failures).isEmpty();
    }

    @Test
    void loopbackDatagramsAndDeclinedDestinationsAreLeftAlone() throws Exception {
        Path script = Files.writeString(dir.resolve("alone.py"), """
                import socket
                s = socket.create_connection(('127.0.0.1', %2$d)); s.sendall(b'GET / HTTP/1.0\\r\\n\\r\\n')
                print('loopback', s.makefile('rb').read().decode().split('\\r\\n\\r\\n')[1].strip(), flush=True)
                u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                try:
                    u.connect(('%1$s', 53)); print('udp', u.getpeername(), flush=True)
                except OSError as e:
                    print('udp', e.errno, flush=True)
                d = socket.socket(); d.settimeout(1)
                try:
                    d.connect(('%3$s', 80)); print('declined from', d.getsockname()[0], flush=True)
                except OSError as e:
                    print('declined', type(e).__name__, flush=True)
                """.formatted(MESHED, v4.port(), DECLINED));
        List<String> lines = run("exec python3 " + script).lines().toList();
        assertThat(lines.get(0)).isEqualTo("loopback meshed to null"); // reached directly, nothing recorded
        assertThat(lines.get(1)).isIn("udp ('" + MESHED + "', 53)", "udp 101");
        // Whatever the network does with it (this sandbox's gateway may answer), it never came from loopback.
        assertThat(lines.get(2)).startsWith("declined ").isNotEqualTo("declined from 127.0.0.1");
        assertThat(v4.requests).hasSize(1);
        assertThat(redirector.asked).doesNotContain("/127.0.0.1:" + v4.port()).contains("/" + DECLINED + ":80");
        assertThat(redirector.redirected).isEmpty();
    }

    @Test
    void aCapturePortThatIsDownFailsTheConnectAsARefusal() throws Exception {
        v4.close();
        String out = run("exec python3 -c \"import socket\ntry:\n socket.create_connection(('" + MESHED
                + "', 80))\nexcept OSError as e:\n print(e.errno)\"");
        assertThat(out.strip()).isEqualTo("111"); // ECONNREFUSED, the capture port's answer
        assertThat(redirector.redirected).hasSize(1);
    }

    /**
     * A capture port whose backlog is full drops the SYN: the agent's connect is left in progress, and the workload's
     * own blocking connect waits for it (the tracer does not) until the port accepts.
     */
    @Test
    void aBlockingConnectWaitsForABusyCapturePortInItsOwnThread() throws Exception {
        v4.close();
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.ofLiteral("127.0.0.1"))) {
            redirector.target = (InetSocketAddress) busy.getLocalSocketAddress();
            Path script = Files.writeString(dir.resolve("busy.py"), """
                    import socket, time
                    filler = []
                    for i in range(3):
                        f = socket.socket(); f.setblocking(False); f.connect_ex(('127.0.0.1', %2$d)); filler.append(f)
                    time.sleep(0.2)
                    print('open', open('go', 'w').close(), flush=True)
                    start = time.monotonic()
                    s = socket.create_connection(('%1$s', 80))
                    print('connected', s.getpeername(), time.monotonic() - start > 0.2, flush=True)
                    """.formatted(MESHED, busy.getLocalPort()));
            Thread.ofPlatform().daemon(true).start(() -> acceptLater(busy, dir.resolve("go")));
            List<String> lines = run("exec python3 " + script).lines().toList();
            assertThat(lines).containsExactly("open None", "connected ('" + MESHED + "', 80) True");
        }
        assertThat(redirector.redirected).hasSize(1);
    }

    private static void acceptLater(ServerSocket busy, Path go) {
        try {
            while (!Files.exists(go)) {
                Thread.sleep(10);
            }
            Thread.sleep(300);
            while (!busy.isClosed()) {
                busy.accept().close();
            }
        } catch (IOException | InterruptedException e) {
            // closed
        }
    }

    @Test
    void strictInboundMovesAWildcardBindOfAMeshedPortToLoopback() throws Exception {
        int v4Port = freePort();
        int v6Port = freePort();
        int other = freePort();
        redirector.strict.addAll(Set.of(v4Port, v6Port));
        String outside = outsideAddress();
        redirector.declined.add(outside);
        Path script = Files.writeString(dir.resolve("server.py"), """
                import socket
                def serve(family, host, port):
                    s = socket.socket(family); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    s.bind((host, port)); s.listen(); return s
                listening = [serve(socket.AF_INET, '0.0.0.0', %1$d), serve(socket.AF_INET6, '::', %2$d),
                             serve(socket.AF_INET, '0.0.0.0', %3$d)]
                for name, s in zip(('v4', 'v6', 'other'), listening):
                    print(name, s.getsockname()[:2], flush=True)
                o = socket.socket(); o.settimeout(1)
                try:
                    o.connect(('%4$s', %1$d)); print('outside connected', flush=True)
                except OSError as e:
                    print('outside', e.errno, flush=True)
                socket.create_connection(('127.0.0.1', %1$d)); print('loopback connected', flush=True)
                try:
                    socket.create_connection(('%4$s', %3$d), 1); print('other port from outside connected', flush=True)
                except OSError as e:
                    print('other port from outside', e.errno, flush=True)
                """.formatted(v4Port, v6Port, other, outside));
        assertThat(run("exec python3 " + script).lines().toList()).containsExactly(
                "v4 ('127.0.0.1', " + v4Port + ")", "v6 ('::ffff:127.0.0.1', " + v6Port + ")",
                "other ('0.0.0.0', " + other + ")", "outside 111", "loopback connected",
                "other port from outside connected");
        assertThat(redirector.failures).isEmpty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** This machine's first non-loopback IPv4 address: where a client from outside would connect. */
    private static String outsideAddress() throws IOException {
        for (java.net.NetworkInterface i : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : java.util.Collections.list(i.getInetAddresses())) {
                if (i.isUp() && a instanceof java.net.Inet4Address && !a.isLoopbackAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        org.junit.jupiter.api.Assumptions.abort("no non-loopback IPv4 address to connect from outside");
        return null;
    }

    private String run(String command) throws Exception {
        Path out = dir.resolve("stdout");
        Supervisor s = Supervisor.start(new Supervisor.Spec("/bin/sh", List.of("sh", "-c", command + " > " + out),
                List.of("PATH=/usr/bin:/bin"), dir.toString()), new SupervisorTest.Recorder(), redirector);
        s.awaitExit();
        return Files.readString(out);
    }

    /** Sends meshed destinations to the capture ports, the IPv6 ones to the IPv6 port; records what it sees. */
    private final class Redirector implements ConnectRedirector {
        final Map<InetSocketAddress, InetSocketAddress> sources = new ConcurrentHashMap<>();
        final List<String> redirected = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final Set<String> asked = ConcurrentHashMap.newKeySet();
        final Set<String> declined = new java.util.concurrent.CopyOnWriteArraySet<>(Set.of(DECLINED));
        final Set<Integer> strict = ConcurrentHashMap.newKeySet();
        volatile InetSocketAddress target;

        @Override
        public Optional<InetSocketAddress> target(InetSocketAddress destination, int pid) {
            asked.add(destination.toString());
            if (declined.contains(destination.getAddress().getHostAddress())) {
                return Optional.empty();
            }
            CapturePort port = destination.getAddress() instanceof java.net.Inet6Address ? v6 : v4;
            return Optional.of(target != null ? target : port.address());
        }

        @Override
        public void redirected(InetSocketAddress localSource, InetSocketAddress originalDestination, int pid, int tid,
                String processName) {
            sources.put(localSource, originalDestination);
            redirected.add(localSource + " -> " + originalDestination + " "
                    + processName.substring(processName.lastIndexOf('/') + 1).replaceAll("[0-9.]+$", ""));
        }

        @Override
        public void failed(InetSocketAddress destination, int pid, int tid, String why) {
            failures.add(destination + ": " + why);
        }

        @Override
        public boolean loopbackOnly(int port) {
            return strict.contains(port);
        }
    }

    /** A listener answering "meshed to DESTINATION" after reading each request's head. */
    static final class CapturePort implements AutoCloseable {
        final List<String> requests = new CopyOnWriteArrayList<>();
        private final ServerSocket server;

        CapturePort(InetAddress address, Map<InetSocketAddress, InetSocketAddress> sources) throws IOException {
            server = new ServerSocket(0, 50, address);
            Thread.ofPlatform().daemon(true).start(() -> {
                while (!server.isClosed()) {
                    try (Socket c = server.accept()) {
                        // Looked up once the request came: the tracer records the source after the connect, before
                        // the workload's call returns (the mesh's capture port waits for it instead).
                        requests.add(readHead(c.getInputStream()));
                        InetSocketAddress original = sources.get((InetSocketAddress) c.getRemoteSocketAddress());
                        c.getOutputStream().write(("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nmeshed to "
                                + original + "\n").getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        // closed, or a client that went away
                    }
                }
            });
        }

        InetSocketAddress address() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                head.append((char) b);
                if (head.toString().endsWith("\r\n\r\n")) {
                    break;
                }
            }
            return head.toString();
        }
    }
}
