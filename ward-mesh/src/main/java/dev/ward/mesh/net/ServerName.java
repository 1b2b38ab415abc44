package dev.ward.mesh.net;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The name a client gives its server in its first bytes, without terminating anything: the {@code server_name} of
 * a TLS ClientHello (RFC 6066 section 3, in the first record) or the {@code Host} of an HTTP/1 request (its port
 * dropped). For egress decisions by name on connections captured by address. Reads, never consumes.
 */
public final class ServerName {
    /** {@link #of}'s answer while the bytes so far begin a ClientHello or a request head that is not complete. */
    public static final String MORE = "\0more";
    /** The most bytes read for a name: a TLS record's largest plaintext and its header, or an HTTP head. */
    public static final int MAX = 16_384 + 5;

    private ServerName() {
    }

    /**
     * The name in {@code in}'s readable bytes; {@link #MORE} when more bytes could still give one; null when they
     * are neither TLS nor HTTP, or carry no name.
     */
    public static String of(ByteBuf in) {
        int from = in.readerIndex();
        int end = from + in.readableBytes();
        if (end == from) {
            return MORE;
        }
        int first = in.getUnsignedByte(from);
        if (first == 0x16) {
            return tls(in, from, end);
        }
        return first >= 'A' && first <= 'Z' ? http(in, from, end) : null;
    }

    private static String tls(ByteBuf in, int from, int end) {
        if (end - from < 5) {
            return MORE;
        }
        int recordEnd = from + 5 + in.getUnsignedShort(from + 3);
        if (recordEnd - from > MAX) {
            return null;
        }
        if (end < recordEnd) {
            return MORE;
        }
        int p = from + 5;
        if (p + 38 > recordEnd || in.getUnsignedByte(p) != 1) { // handshake type 1: ClientHello
            return null;
        }
        p += 4 + 2 + 32; // handshake header, client_version, random
        p += 1 + in.getUnsignedByte(p); // session_id
        if (p + 2 > recordEnd) {
            return null;
        }
        p += 2 + in.getUnsignedShort(p); // cipher_suites
        if (p + 1 > recordEnd) {
            return null;
        }
        p += 1 + in.getUnsignedByte(p); // compression_methods
        if (p + 2 > recordEnd) {
            return null;
        }
        int extensionsEnd = Math.min(recordEnd, p + 2 + in.getUnsignedShort(p));
        p += 2;
        while (p + 4 <= extensionsEnd) {
            int type = in.getUnsignedShort(p);
            int length = in.getUnsignedShort(p + 2);
            p += 4;
            if (type == 0 && length >= 5 && p + length <= extensionsEnd && in.getUnsignedByte(p + 2) == 0) {
                int n = in.getUnsignedShort(p + 3); // the first entry of server_name_list, a host_name
                return p + 5 + n <= p + length && n > 0 ? in.toString(p + 5, n, StandardCharsets.US_ASCII) : null;
            }
            p += length;
        }
        return null;
    }

    private static String http(ByteBuf in, int from, int end) {
        int headEnd = -1;
        for (int i = from; i + 3 < end && i - from < MAX; i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r'
                    && in.getByte(i + 3) == '\n') {
                headEnd = i;
                break;
            }
        }
        if (headEnd < 0) {
            return end - from < MAX ? MORE : null;
        }
        String[] lines = in.toString(from, headEnd - from, StandardCharsets.ISO_8859_1).split("\r\n");
        if (lines[0].indexOf(' ') <= 0 || !lines[0].contains(" HTTP/1.")) {
            return null;
        }
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon == 4 && lines[i].regionMatches(true, 0, "host", 0, 4)) {
                String host = lines[i].substring(colon + 1).strip();
                return host.isEmpty() ? null : withoutPort(host);
            }
        }
        return null;
    }

    private static String withoutPort(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close > 1 ? host.substring(1, close) : null;
        }
        int colon = host.lastIndexOf(':');
        return colon > 0 && host.indexOf(':') == colon ? host.substring(0, colon) : host;
    }
}
