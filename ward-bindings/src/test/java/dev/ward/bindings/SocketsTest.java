package dev.ward.bindings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Sockaddr encoding, and a child process's socket taken with pidfd_getfd, bound and connected from here. */
class SocketsTest {
    @Test
    void encodesAndDecodesBothFamilies() {
        byte[] out = new byte[28];
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.ofLiteral("198.51.100.7"), 80);
        assertThat(Sockaddr.encode(v4, Sockaddr.AF_INET, out)).isEqualTo(16);
        assertThat(out).startsWith(2, 0, 0, 80, (byte) 198, 51, 100, 7, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(Sockaddr.decode(out, 16)).isEqualTo(v4);
        assertThat(Sockaddr.encode(v4, Sockaddr.AF_INET6, out)).isEqualTo(28);
        assertThat(Sockaddr.isMapped(out)).isTrue();
        assertThat(Sockaddr.decode(out, 28)).isEqualTo(v4); // ::ffff:198.51.100.7 is the IPv4 address to Java
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.ofLiteral("2001:db8::7"), 443);
        assertThat(Sockaddr.encode(v6, Sockaddr.AF_INET, out)).isEqualTo(-Errno.EAFNOSUPPORT);
        assertThat(Sockaddr.encode(v6, Sockaddr.AF_INET6, out)).isEqualTo(28);
        assertThat(Sockaddr.decode(out, 28)).isEqualTo(v6);
        assertThat(Sockaddr.port(out)).isEqualTo(443);
        assertThat(Sockaddr.decode(new byte[] {1, 0, '/', 't'}, 4)).isNull(); // AF_UNIX
        assertThat(Sockaddr.family(out, 10)).isEqualTo(-1); // too short for AF_INET6
    }

    @Test
    void localAddressesAreRecognisedWithoutDecoding() {
        assertThat(local("127.0.0.1")).isTrue();
        assertThat(local("127.8.9.10")).isTrue();
        assertThat(local("169.254.170.2")).isTrue();
        assertThat(local("0.0.0.0")).isTrue();
        assertThat(local("::1")).isTrue();
        assertThat(local("::")).isTrue();
        assertThat(local("fe80::1")).isTrue();
        assertThat(local("198.51.100.7")).isFalse();
        assertThat(local("10.0.0.1")).isFalse();
        assertThat(local("2001:db8::7")).isFalse();
        byte[] mapped = new byte[28];
        Sockaddr.encode(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 1), Sockaddr.AF_INET6, mapped);
        assertThat(Sockaddr.isLocal(mapped, Sockaddr.AF_INET6)).isTrue();
    }

    /** What the mesh capture does to a workload's socket, done here to a Python child's one. */
    @Test
    @Tag("process")
    void aChildsSocketIsTakenBoundAndConnected() throws Exception {
        Process child = new ProcessBuilder("python3", "-c", """
                import os, socket, sys
                s = socket.socket(); s.setblocking(False)
                print(os.getpid(), s.fileno(), flush=True)
                sys.stdin.readline()
                s.setblocking(True); s.sendall(b'from the child')
                print(s.getpeername()[1], s.getsockname()[0], s.getblocking(), flush=True)
                """).start();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.ofLiteral("127.0.0.1"))) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String[] pidFd = lines.readLine().split(" ");
            Sockets sockets = new Sockets();
            int pidfd = sockets.pidfdOpen(Integer.parseInt(pidFd[0]));
            assertThat(pidfd).isPositive();
            int fd = sockets.takeFd(pidfd, Integer.parseInt(pidFd[1]));
            sockets.close(pidfd);
            assertThat(fd).isPositive();
            assertThat(sockets.intOption(fd, Sockets.SOL_SOCKET, Sockets.SO_TYPE)).isEqualTo(Sockets.SOCK_STREAM);
            assertThat(sockets.intOption(fd, Sockets.SOL_SOCKET, Sockets.SO_DOMAIN)).isEqualTo(Sockaddr.AF_INET);
            assertThat(sockets.statusFlags(fd) & Sockets.O_NONBLOCK).isNotZero();
            byte[] addr = new byte[28];
            int n = Sockaddr.encode(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0), Sockaddr.AF_INET, addr);
            assertThat(sockets.bind(fd, addr, n)).isZero();
            byte[] local = new byte[128];
            assertThat(sockets.localAddress(fd, local)).isEqualTo(16);
            int port = Sockaddr.port(local);
            assertThat(port).isPositive();
            assertThat(sockets.inode(fd)).isEqualTo(Long.parseLong(Posix.readlink("/proc/" + pidFd[0] + "/fd/"
                    + pidFd[1]).replaceAll("\\D", "")));
            n = Sockaddr.encode(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), server.getLocalPort()),
                    Sockaddr.AF_INET, addr);
            int r = sockets.connect(fd, addr, n);
            assertThat(r == 0 || r == -Errno.EINPROGRESS).isTrue();
            try (Socket accepted = server.accept()) {
                assertThat(accepted.getPort()).isEqualTo(port);
                assertThat(sockets.pollOut(fd) & Sockets.POLLOUT).isNotZero();
                sockets.close(fd);
                OutputStream in = child.getOutputStream();
                in.write('\n');
                in.flush();
                assertThat(new String(accepted.getInputStream().readNBytes(14), StandardCharsets.UTF_8))
                        .isEqualTo("from the child");
                assertThat(lines.readLine()).isEqualTo(server.getLocalPort() + " 127.0.0.1 True");
            }
        } finally {
            child.destroy();
        }
    }

    /**
     * A blocking socket starts connecting to a port whose backlog is full (its SYN dropped, where a blocking connect
     * would wait a second and more) without waiting and without its flags changed; its owner's own connect then
     * waits for that connection.
     */
    @Test
    @Tag("process")
    void aBlockingSocketStartsConnectingWithoutWaiting() throws Exception {
        Process child = new ProcessBuilder("python3", "-c", """
                import os, socket, sys
                s = socket.socket()
                print(os.getpid(), s.fileno(), flush=True)
                port = int(sys.stdin.readline())
                s.connect(('127.0.0.1', port))
                print(s.getpeername()[1], s.getblocking(), flush=True)
                """).start();
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.ofLiteral("127.0.0.1"))) {
            java.util.List<java.nio.channels.SocketChannel> fillers = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open();
                c.configureBlocking(false);
                c.connect(busy.getLocalSocketAddress());
                fillers.add(c);
            }
            Thread.sleep(200);
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String[] pidFd = lines.readLine().split(" ");
            Sockets sockets = new Sockets();
            int pidfd = sockets.pidfdOpen(Integer.parseInt(pidFd[0]));
            int fd = sockets.takeFd(pidfd, Integer.parseInt(pidFd[1]));
            sockets.close(pidfd);
            byte[] addr = new byte[28];
            int n = Sockaddr.encode((InetSocketAddress) busy.getLocalSocketAddress(), Sockaddr.AF_INET, addr);
            long start = System.nanoTime();
            int r = sockets.startConnect(fd, addr, n);
            long waited = System.nanoTime() - start;
            org.junit.jupiter.api.Assumptions.assumeTrue(r != -Errno.EOPNOTSUPP, "TCP Fast Open is off for clients");
            assertThat(r).isEqualTo(-Errno.EINPROGRESS);
            assertThat(waited).isLessThan(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500));
            assertThat(sockets.statusFlags(fd) & Sockets.O_NONBLOCK).isZero();
            sockets.close(fd);
            OutputStream in = child.getOutputStream();
            in.write((busy.getLocalPort() + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            for (int i = 0; i < 4; i++) {
                busy.accept().close(); // room again: the retransmitted SYN is answered
            }
            assertThat(lines.readLine()).isEqualTo(busy.getLocalPort() + " True");
            for (java.nio.channels.SocketChannel c : fillers) {
                c.close();
            }
        } finally {
            child.destroy();
        }
    }

    private static boolean local(String ip) {
        InetAddress a = InetAddress.ofLiteral(ip);
        byte[] raw = new byte[28];
        int family = a.getAddress().length == 4 ? Sockaddr.AF_INET : Sockaddr.AF_INET6;
        Sockaddr.encode(new InetSocketAddress(a, 1), family, raw);
        return Sockaddr.isLocal(raw, Sockaddr.family(raw, 28));
    }
}
