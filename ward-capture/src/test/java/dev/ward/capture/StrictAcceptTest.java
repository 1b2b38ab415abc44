package dev.ward.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strict inbound's accept side on a real Python server under the real tracer: the test plays the mesh's inbound
 * port, connecting to the moved socket from a loopback address it registered first as standing for the client
 * 203.0.113.9:4711 (TEST-NET-3), as the mesh registers each delivery before it connects.
 */
@Tag("process")
class StrictAcceptTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.ofLiteral("203.0.113.9"), 4711);
    private static final String SERVER = """
            import ctypes, socket, sys, time
            v6 = sys.argv[1] == '6'
            s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if v6:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            s.bind(('::' if v6 else '0.0.0.0', int(sys.argv[2])))
            s.listen()
            print('bound', s.getsockname()[:2], flush=True)
            open('ready', 'w').close()
            for i in range(2):
                c, a = s.accept()
                print('accept', a[:2], c.getpeername()[:2], flush=True)
                c.close()
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.accept(s.fileno(), None, None)
            c = socket.socket(fileno=fd)
            print('null', c.getpeername()[:2], flush=True)
            c.close()
            buf = ctypes.create_string_buffer(64)
            length = ctypes.c_uint(6)
            fd = libc.accept(s.fileno(), buf, ctypes.byref(length))
            print('short', buf.raw[:8].hex(), length.value, flush=True)
            socket.socket(fileno=fd).close()
            """;

    @TempDir
    Path dir;
    private final Map<InetSocketAddress, InetSocketAddress> delivered = new ConcurrentHashMap<>();

    @Test
    void anIpv4ServerSeesTheRealClientInAcceptAndGetpeername() throws Exception {
        int port = freePort();
        List<String> lines = serve("4", port);
        String loopbackClient = lines.remove(lines.size() - 1);
        assertThat(lines).containsExactly(
                "bound ('127.0.0.1', " + port + ")",
                "accept ('203.0.113.9', 4711) ('203.0.113.9', 4711)",
                "accept ('127.0.0.1', " + loopbackClient + ") ('127.0.0.1', " + loopbackClient + ")",
                "null ('203.0.113.9', 4711)",
                // AF_INET, port 4711 (0x1267), the first two bytes of the address: truncated as the kernel truncates;
                // the length is the full sockaddr_in's
                "short 02001267cb000000 16");
    }

    @Test
    void aDualStackServerSeesTheRealClientIpv4Mapped() throws Exception {
        int port = freePort();
        List<String> lines = serve("6", port);
        String loopbackClient = lines.remove(lines.size() - 1);
        assertThat(lines).containsExactly(
                "bound ('::ffff:127.0.0.1', " + port + ")",
                "accept ('::ffff:203.0.113.9', 4711) ('::ffff:203.0.113.9', 4711)",
                "accept ('::ffff:127.0.0.1', " + loopbackClient + ") ('::ffff:127.0.0.1', " + loopbackClient + ")",
                "null ('::ffff:203.0.113.9', 4711)",
                "short 0a00126700000000 28");
    }

    /**
     * Runs the server on {@code port} (strict), connects four times (registered, not registered, registered twice);
     * returns its lines and, last, the local port of the unregistered connection.
     */
    private List<String> serve(String family, int port) throws Exception {
        Path script = Files.writeString(dir.resolve("server.py"), SERVER);
        Path out = dir.resolve("stdout");
        Supervisor s = Supervisor.start(new Supervisor.Spec("/bin/sh", List.of("sh", "-c",
                "exec python3 " + script + " " + family + " " + port + " > " + out), List.of("PATH=/usr/bin:/bin"),
                dir.toString()), new SupervisorTest.Recorder(), new Mesh(port));
        // python3 starts in well under a second here, in tens of seconds under emulation (the arm64 VM)
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!Files.exists(dir.resolve("ready")) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(dir.resolve("ready")).as("the python3 server listening within 90 s").exists();
        List<Socket> clients = new ArrayList<>();
        int unregistered = 0;
        try {
            for (boolean registered : new boolean[] {true, false, true, true}) {
                Socket c = new Socket();
                clients.add(c);
                c.bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0));
                if (registered) {
                    delivered.put((InetSocketAddress) c.getLocalSocketAddress(), CLIENT);
                } else {
                    unregistered = c.getLocalPort();
                }
                c.connect(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), port), 5000);
            }
            s.awaitExit();
        } finally {
            for (Socket c : clients) {
                c.close();
            }
        }
        List<String> lines = new ArrayList<>(Files.readString(out).lines().toList());
        lines.add(String.valueOf(unregistered));
        return lines;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Strict inbound on one port, no outbound capture; the deliveries the test registered. */
    private final class Mesh implements ConnectRedirector {
        private final int port;

        Mesh(int port) {
            this.port = port;
        }

        @Override
        public Optional<InetSocketAddress> target(InetSocketAddress destination, int pid) {
            return Optional.empty();
        }

        @Override
        public void redirected(InetSocketAddress localSource, InetSocketAddress originalDestination, int pid, int tid,
                String processName) {
        }

        @Override
        public boolean loopbackOnly(int p) {
            return p == port;
        }

        @Override
        public boolean strictInbound() {
            return true;
        }

        @Override
        public Optional<InetSocketAddress> realPeer(InetSocketAddress loopbackPeer) {
            return Optional.ofNullable(delivered.get(loopbackPeer));
        }
    }
}
