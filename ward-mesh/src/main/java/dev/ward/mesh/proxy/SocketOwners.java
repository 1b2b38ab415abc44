package dev.ward.mesh.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Which local process holds the client end of a TCP connection to the proxy port, for egress policies that name
 * processes: the socket's inode from {@code /proc/net/tcp} (or {@code tcp6}) by its local address, then the process
 * with {@code socket:[inode]} among its descriptors. Blocking file reads: never on an event loop. Linux only;
 * elsewhere, and for a process the agent may not inspect, the owner is unknown.
 */
final class SocketOwners {
    private static final int ATTEMPTS = 3;

    /** A process: its pid and its executable's path. */
    record Owner(int pid, String executable) {
    }

    private final Path proc;

    SocketOwners(Path proc) {
        this.proc = proc;
    }

    /**
     * The owner of the socket whose local address is {@code client} and whose peer is {@code server} (the proxy
     * port's end of the connection), or null when not found. Closed connections linger in {@code /proc/net/tcp} in
     * TIME_WAIT, without an inode, and the kernel hands their local ports to new connections to other servers: only
     * a line with both addresses and an inode counts. The kernel writes the table a page at a time, so a read while
     * other sockets come and go can skip a line: a miss is looked for again, a millisecond later, up to
     * {@value #ATTEMPTS} times.
     */
    Owner find(InetSocketAddress client, InetSocketAddress server) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                long inode = inode(client, server);
                Owner owner = inode <= 0 ? null : holder("socket:[" + inode + "]");
                if (owner != null) {
                    return owner;
                }
            } catch (IOException | RuntimeException e) {
                // the process or its socket went away meanwhile: look again, then give up
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private long inode(InetSocketAddress client, InetSocketAddress server) throws IOException {
        for (String table : List.of("net/tcp", "net/tcp6")) {
            boolean v6 = table.endsWith("6");
            String local = entry(client, v6);
            String remote = entry(server, v6);
            Path p = proc.resolve(table);
            if (local == null || remote == null || !Files.isReadable(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[1].equals(local) && f[2].equals(remote) && !f[9].equals("0")) {
                    return Long.parseLong(f[9]);
                }
            }
        }
        return -1;
    }

    /** How {@code a} reads in /proc/net/tcp ({@code v6} false) or tcp6; null when that table cannot hold it. */
    private static String entry(InetSocketAddress a, boolean v6) {
        byte[] ip = a.getAddress().getAddress();
        if (!v6 && ip.length != 4) {
            return null;
        }
        return hex(v6 && ip.length == 4 ? mapped(ip) : ip) + ":" + String.format(Locale.ROOT, "%04X", a.getPort());
    }

    private Owner holder(String link) throws IOException {
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> isNumber(p.getFileName().toString()))) {
            for (Path pid : pids) {
                if (holds(pid.resolve("fd"), link)) {
                    String exe = Files.readSymbolicLink(pid.resolve("exe")).toString();
                    return new Owner(Integer.parseInt(pid.getFileName().toString()),
                            exe.endsWith(" (deleted)") ? exe.substring(0, exe.length() - 10) : exe);
                }
            }
        }
        return null;
    }

    private static boolean holds(Path fds, String link) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(fds)) {
            for (Path fd : s) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(link)) {
                        return true;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not ours to inspect
        }
        return false;
    }

    /** /proc/net/tcp writes an address as 32-bit words in host order: little-endian on x86-64 and arm64. */
    private static String hex(byte[] ip) {
        StringBuilder b = new StringBuilder(ip.length * 2);
        for (int word = 0; word < ip.length; word += 4) {
            for (int i = word + 3; i >= word; i--) {
                b.append(String.format(Locale.ROOT, "%02X", ip[i] & 0xff));
            }
        }
        return b.toString();
    }

    private static byte[] mapped(byte[] v4) {
        byte[] a = new byte[16];
        a[10] = (byte) 0xff;
        a[11] = (byte) 0xff;
        System.arraycopy(v4, 0, a, 12, 4);
        return a;
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
