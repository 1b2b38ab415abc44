package dev.ward.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the capture keeps per process and what it leaves to the kernel, on real programs under the real tracer: the
 * executable's path reported with each redirect is read once per executable (and again after an exec), and a
 * connect the kernel would refuse for its address family is not turned into a redirected one.
 */
@Tag("process")
class MeshCaptureProcessTest {
    private static final String MESHED = "198.51.100.7";

    @TempDir
    Path dir;
    private final Map<InetSocketAddress, InetSocketAddress> sources = new ConcurrentHashMap<>();
    private final List<String> redirected = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private MeshCaptureTest.CapturePort port;

    @BeforeEach
    void listen() throws Exception {
        port = new MeshCaptureTest.CapturePort(InetAddress.ofLiteral("127.0.0.1"), sources);
    }

    @AfterEach
    void close() throws Exception {
        port.close();
    }

    @Test
    void theExecutablesPathIsReadAgainAfterAnExec() throws Exception {
        Path script = Files.writeString(dir.resolve("then-curl.py"), """
                import os, socket
                for path in ('/a', '/b'):
                    s = socket.create_connection(('%1$s', 80))
                    s.sendall(b'GET ' + path.encode() + b' HTTP/1.0\\r\\n\\r\\n')
                    print(s.makefile('rb').read().decode().split('\\r\\n\\r\\n')[1].strip(), flush=True)
                    s.close()
                os.execv('/usr/bin/curl', ['curl', '-s', '-S', '--max-time', '5', 'http://%1$s/c'])
                """.formatted(MESHED));
        List<String> lines = run("exec python3 " + script).lines().toList();
        assertThat(lines).containsExactly("meshed to /" + MESHED + ":80", "meshed to /" + MESHED + ":80",
                "meshed to /" + MESHED + ":80");
        assertThat(redirected).containsExactly("python", "python", "curl");
        assertThat(failures).isEmpty();
    }

    /**
     * connect(2) of an AF_INET6 TCP socket with a sockaddr_in fails with EINVAL, and of an AF_INET one with a
     * sockaddr_in6 with EAFNOSUPPORT: the capture leaves both calls to the kernel, which answers as it would.
     */
    @Test
    void aConnectWithAnotherFamilysAddressFailsAsItWouldUncaptured() throws Exception {
        Path script = Files.writeString(dir.resolve("families.py"), """
                import ctypes, socket, struct
                libc = ctypes.CDLL(None, use_errno=True)
                def connect(family, raw):
                    s = socket.socket(family)
                    r = libc.connect(s.fileno(), raw, len(raw))
                    print(r, ctypes.get_errno(), s.getsockname()[:2], flush=True)
                v4 = struct.pack('=H', socket.AF_INET) + struct.pack('!H', 80) + socket.inet_aton('%1$s') + bytes(8)
                v6 = (struct.pack('=H', socket.AF_INET6) + struct.pack('!HI', 80, 0)
                      + socket.inet_pton(socket.AF_INET6, '2001:db8::7') + bytes(4))
                connect(socket.AF_INET6, v4)
                connect(socket.AF_INET, v6)
                """.formatted(MESHED));
        assertThat(run("exec python3 " + script).lines().toList()).containsExactly("-1 22 ('::', 0)",
                "-1 97 ('0.0.0.0', 0)");
        assertThat(redirected).isEmpty();
        assertThat(failures).isEmpty();
    }

    private String run(String command) throws Exception {
        Path out = dir.resolve("stdout");
        Supervisor s = Supervisor.start(new Supervisor.Spec("/bin/sh", List.of("sh", "-c", command + " > " + out),
                List.of("PATH=/usr/bin:/bin"), dir.toString()), new SupervisorTest.Recorder(), new ConnectRedirector() {
                    @Override
                    public Optional<InetSocketAddress> target(InetSocketAddress destination, int pid) {
                        return Optional.of(port.address());
                    }

                    @Override
                    public void redirected(InetSocketAddress localSource, InetSocketAddress originalDestination,
                            int pid, int tid, String processName) {
                        sources.put(localSource, originalDestination);
                        redirected.add(processName.substring(processName.lastIndexOf('/') + 1)
                                .replaceAll("[0-9.]+$", ""));
                    }

                    @Override
                    public void failed(InetSocketAddress destination, int pid, int tid, String why) {
                        failures.add(destination + ": " + why);
                    }
                });
        s.awaitExit();
        return Files.readString(out);
    }
}
