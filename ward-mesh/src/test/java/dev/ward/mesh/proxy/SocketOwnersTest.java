package dev.ward.mesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Finding the process behind a proxy client's socket in /proc, with real sockets of this JVM. */
class SocketOwnersTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void findsTheLiveSocketWhenAClosedOneOnTheSamePortLingers() throws Exception {
        SocketOwners owners = new SocketOwners(Path.of("/proc"));
        try (ServerSocket first = new ServerSocket(0, 5, LOOPBACK); ServerSocket second = new ServerSocket(0, 5, LOOPBACK)) {
            int port;
            try (Socket old = new Socket()) {
                old.setReuseAddress(true);
                old.bind(new InetSocketAddress(LOOPBACK, 0));
                old.connect(first.getLocalSocketAddress());
                port = old.getLocalPort();
                try (Socket accepted = first.accept()) {
                    old.close(); // the client closes first: its end stays in TIME_WAIT, inode 0, on this port
                }
            }
            // (Java's sockets are IPv6 ones here, so the line may be in tcp6, with IPv4-mapped addresses)
            assertThat(Files.readString(Path.of("/proc/net/tcp")) + Files.readString(Path.of("/proc/net/tcp6")))
                    .as("the closed connection lingers in TIME_WAIT").containsPattern(":" + String.format("%04X", port)
                            + " [0-9A-F]+:" + String.format("%04X", first.getLocalPort()) + " 06 ");
            try (Socket client = new Socket()) {
                client.setReuseAddress(true);
                client.bind(new InetSocketAddress(LOOPBACK, port));
                client.connect(second.getLocalSocketAddress());
                try (Socket accepted = second.accept()) {
                    SocketOwners.Owner owner = owners.find((InetSocketAddress) client.getLocalSocketAddress(),
                            (InetSocketAddress) client.getRemoteSocketAddress());
                    assertThat(owner).isNotNull();
                    assertThat(owner.pid()).isEqualTo((int) ProcessHandle.current().pid());
                    assertThat(owner.executable()).isEqualTo(ProcessHandle.current().info().command().orElseThrow());
                    assertThat(owners.find((InetSocketAddress) client.getLocalSocketAddress(),
                            (InetSocketAddress) first.getLocalSocketAddress())).as("no live socket to that server")
                            .isNull();
                }
            }
        }
    }
}
