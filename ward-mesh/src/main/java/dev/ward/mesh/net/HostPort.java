package dev.ward.mesh.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * {@code host:port} as HTTP writes it ({@code [v6]:port} for IPv6): the {@code :authority} of an HBONE CONNECT, the
 * target of an HTTP CONNECT, {@code forwarded: for=}. Parsing never resolves a name.
 *
 * @param host the host without brackets
 * @param port 1 to 65535
 */
public record HostPort(String host, int port) {

    /** Parses {@code host:port} or {@code [v6]:port}; empty when it is not one (no port, port out of range...). */
    public static Optional<HostPort> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                return Optional.empty();
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.indexOf(':') != colon) {
                return Optional.empty();
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        if (host.isEmpty() || port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        int p = Integer.parseInt(port);
        return p < 1 || p > 65535 ? Optional.empty() : Optional.of(new HostPort(host, p));
    }

    /** {@code ip:port}, or {@code [v6]:port}. */
    public static String format(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The address when the host is an IP literal; empty for a name. */
    public Optional<InetSocketAddress> literal() {
        try {
            return Optional.of(new InetSocketAddress(InetAddress.ofLiteral(host), port));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
