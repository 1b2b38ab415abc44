package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.agent.output.Exporter;
import dev.ward.api.Identity;
import dev.ward.api.LogFilter;
import dev.ward.api.telemetry.Sink;
import dev.ward.api.telemetry.Telemetry;
import dev.ward.capture.ConnectRedirector;
import dev.ward.capture.Family;
import dev.ward.capture.Supervisor;
import dev.ward.capture.SyscallTable;
import dev.ward.policy.PolicySet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The capture with the agent's Guard as the listener: with no policy nothing of the network is decided (the Guard
 * does not even want connect), yet the capture still redirects it and rewrites getpeername.
 *
 * <p>Isolated: its tracer runs in the test JVM. It once waited for any child of it ({@code waitpid(-1)}), which where
 * tests run concurrently (the arm64 VM) reaped the agent processes other tests start; it now waits for its own
 * tracees only ({@code __WNOTHREAD}), and the test stays apart all the same.
 */
@Isolated
class MeshCaptureGuardTest {
    @TempDir
    Path dir;

    @Test
    void withTheCaptureOffNothingMoreIsTrapped() {
        OperationSet none = OperationSet.needed(PolicySet.empty(), LogFilter.POLICY, OperationSet.ALL);
        assertThat(none.families()).doesNotContain(Family.NETWORK, Family.MESH, Family.MESH_INBOUND);
        assertThat(OperationSet.ALL.families()).doesNotContain(Family.MESH, Family.MESH_INBOUND);
        assertThat(SyscallTable.byNr(SyscallTable.NR_GETPEERNAME).family()).isEqualTo(Family.MESH);
    }

    @Test
    @Tag("process")
    void aConnectNoPolicyLooksAtIsRedirectedAndItsPeerRewritten() throws Exception {
        Map<InetSocketAddress, InetSocketAddress> sources = new ConcurrentHashMap<>();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (ServerSocket capture = new ServerSocket(0, 10, InetAddress.ofLiteral("127.0.0.1"));
             Exporter exporter = new Exporter(16, System.err, new NullSink())) {
            Thread.ofPlatform().daemon(true).start(() -> answer(capture, sources));
            ConnectRedirector mesh = new ConnectRedirector() {
                @Override
                public Optional<InetSocketAddress> target(InetSocketAddress destination, int pid) {
                    return Optional.of((InetSocketAddress) capture.getLocalSocketAddress());
                }

                @Override
                public void redirected(InetSocketAddress source, InetSocketAddress destination, int pid, int tid,
                        String processName) {
                    sources.put(source, destination);
                }
            };
            Guard guard = new Guard(new AtomicReference<>(LiveRules.of(PolicySet.empty(), System.err)), exporter,
                    Identity.of("app", Map.of(), Map.of()), LogFilter.POLICY);
            guard.agent(dev.ward.bindings.Posix.getpid(), "/ward/bin/java", 0);
            assertThat(guard.wants(SyscallTable.byNr(SyscallTable.NR_CONNECT))).isFalse();
            Path out = dir.resolve("out");
            Path script = Files.writeString(dir.resolve("c.py"), """
                    import socket
                    s = socket.create_connection(('10.213.7.9', 5432))
                    print(s.recv(100).decode().strip(), s.getpeername())
                    """);
            OperationSet trap = OperationSet.needed(PolicySet.empty(), LogFilter.POLICY, OperationSet.ALL);
            Supervisor s = Supervisor.start(new Supervisor.Spec("/bin/sh",
                    List.of("sh", "-c", "exec python3 " + script + " > " + out), List.of("PATH=/usr/bin:/bin"),
                    dir.toString(), trap.families()), guard, new CaptureLog(mesh,
                    new PrintStream(log, true, StandardCharsets.UTF_8)));
            s.awaitExit();
            assertThat(Files.readString(out)).isEqualTo("for /10.213.7.9:5432 ('10.213.7.9', 5432)\n");
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    /** Answers each connection with its entry, waiting for it as the mesh's capture port does (it may come later). */
    private static void answer(ServerSocket server, Map<InetSocketAddress, InetSocketAddress> sources) {
        while (!server.isClosed()) {
            try (Socket c = server.accept()) {
                InetSocketAddress client = (InetSocketAddress) c.getRemoteSocketAddress();
                long deadline = System.nanoTime() + 1_000_000_000L;
                while (!sources.containsKey(client) && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                c.getOutputStream().write(("for " + sources.get(client) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // closed
            }
        }
    }

    private static final class NullSink implements Sink {
        @Override
        public void write(Telemetry t) {
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
