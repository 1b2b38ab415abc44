package dev.ward.mesh.hbone;

import dev.ward.mesh.HttpHead;
import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;

/**
 * Finds and reads the head of an HTTP/1.x request at the start of a buffer, strictly (RFC 9112): what is not a
 * request line is "not HTTP", a malformed or ambiguous head (obsolete line folding, a bad header name, conflicting
 * Content-Length, Transfer-Encoding not ending in chunked or beside Content-Length, no or several Host in 1.1) is
 * refused rather than guessed at, so that the application never frames a request differently than the policy saw
 * it. One per tunnel; the {@link HttpHead} it is describes the last head parsed until the next {@link #parse}.
 */
final class Http1Parser implements HttpHead {
    /** Envoy's default limits: 60 KiB of head, 100 header fields. */
    static final int MAX_HEAD = 60 * 1024;
    static final int MAX_HEADERS = 100;

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] VERSION = "HTTP/1.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int MAX_METHOD = 32;

    enum Result { MORE, HEAD, NOT_HTTP, H2C, TOO_LARGE, BAD }

    private byte[] bytes = new byte[2048];
    private AsciiString method;
    private AsciiString path;
    private AsciiString authority;
    private AsciiString version;
    private final AsciiString[] names = new AsciiString[MAX_HEADERS];
    private final AsciiString[] values = new AsciiString[MAX_HEADERS];
    private int count;
    /** The bytes of the head, leading empty lines and the final empty line included. */
    int headLength;
    /** The body's length when it has a Content-Length, else 0. */
    long contentLength;
    boolean chunked;
    /** CONNECT or Upgrade: what follows this request is not HTTP/1.1 once the application agrees. */
    boolean tunnel;
    /** Why the head was refused (BAD, TOO_LARGE) or is not HTTP. */
    String problem;

    /** Reads the head at {@code in}'s reader index without consuming anything. */
    Result parse(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        if (start < end && in.getByte(start) == 'P' && HttpSyntax.prefixOf(in, start, end, PREFACE)) {
            return end - start >= PREFACE.length ? Result.H2C : Result.MORE;
        }
        int at = start;
        while (at + 1 < end && in.getByte(at) == '\r' && in.getByte(at + 1) == '\n') {
            at += 2;
        }
        int line = requestLine(in, at, end);
        if (line == -1) {
            return end - start > MAX_HEAD ? tooLarge("request line longer than " + MAX_HEAD + " bytes") : Result.MORE;
        }
        if (line == -2) {
            return Result.NOT_HTTP;
        }
        if (line - start > MAX_HEAD) {
            return tooLarge("request line longer than " + MAX_HEAD + " bytes");
        }
        int headEnd = in.indexOf(line - 2, Math.min(end, start + MAX_HEAD + 1), (byte) '\n');
        while (headEnd >= 0 && !(in.getByte(headEnd - 1) == '\r' && in.getByte(headEnd - 2) == '\n'
                && in.getByte(headEnd - 3) == '\r')) {
            headEnd = in.indexOf(headEnd + 1, Math.min(end, start + MAX_HEAD + 1), (byte) '\n');
        }
        if (headEnd < 0) {
            return end - start > MAX_HEAD ? tooLarge("head longer than " + MAX_HEAD + " bytes") : Result.MORE;
        }
        headLength = headEnd + 1 - start;
        int length = headEnd + 1 - at;
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, bytes.length * 2)];
        }
        in.getBytes(at, bytes, 0, length);
        return readHead(line - at, length);
    }

    @Override
    public CharSequence method() {
        return method;
    }

    @Override
    public CharSequence path() {
        return path;
    }

    @Override
    public CharSequence authority() {
        return authority;
    }

    @Override
    public CharSequence version() {
        return version;
    }

    @Override
    public int headerCount() {
        return count;
    }

    @Override
    public CharSequence headerName(int i) {
        return names[i];
    }

    @Override
    public CharSequence headerValue(int i) {
        return values[i];
    }

    /**
     * The index just past the request line's LF; -1 when the bytes so far may still become one; -2 when they cannot
     * (not HTTP/1.x).
     */
    private int requestLine(ByteBuf in, int at, int end) {
        int i = at;
        while (i < end && HttpSyntax.isTchar(in.getByte(i))) {
            if (++i - at > MAX_METHOD) {
                return -2;
            }
        }
        if (i == end) {
            return -1;
        }
        if (i == at || in.getByte(i) != ' ') {
            return -2;
        }
        int target = ++i;
        while (i < end && in.getByte(i) > ' ' && in.getByte(i) < 0x7f) {
            i++;
        }
        if (i == end) {
            return -1;
        }
        if (i == target || in.getByte(i) != ' ') {
            return -2;
        }
        i++;
        for (int v = 0; v < VERSION.length + 3; v++, i++) {
            if (i == end) {
                return -1;
            }
            byte b = in.getByte(i);
            boolean ok = v < VERSION.length ? b == VERSION[v] : v == VERSION.length ? b == '0' || b == '1'
                    : v == VERSION.length + 1 ? b == '\r' : b == '\n';
            if (!ok) {
                return -2;
            }
        }
        return i;
    }

    /** Reads the copied head: request line of {@code lineLength} bytes, then the header fields. */
    private Result readHead(int lineLength, int length) {
        reset();
        int sp1 = indexOf(0, lineLength, ' ');
        int sp2 = indexOf(sp1 + 1, lineLength, ' ');
        method = view(0, sp1);
        version = view(sp2 + 1, lineLength - 2 - sp2 - 1);
        target(sp1 + 1, sp2);
        boolean teSeen = false;
        boolean lengthSeen = false;
        int hosts = 0;
        int at = lineLength;
        while (at < length - 2) {
            int lf = indexOf(at, length, '\n');
            if (bytes[lf - 1] != '\r') {
                return bad("a header line ends without CR");
            }
            if (bytes[at] == ' ' || bytes[at] == '\t') {
                return bad("obsolete line folding");
            }
            int colon = at;
            while (colon < lf - 1 && HttpSyntax.isTchar(bytes[colon])) {
                colon++;
            }
            if (colon == at || bytes[colon] != ':') {
                return bad("malformed header name");
            }
            int v = colon + 1;
            int ve = lf - 1;
            while (v < ve && (bytes[v] == ' ' || bytes[v] == '\t')) {
                v++;
            }
            while (ve > v && (bytes[ve - 1] == ' ' || bytes[ve - 1] == '\t')) {
                ve--;
            }
            for (int i = v; i < ve; i++) {
                if (bytes[i] >= 0 && bytes[i] < ' ' && bytes[i] != '\t' || bytes[i] == 0x7f) {
                    return bad("control character in a header value");
                }
            }
            if (count == MAX_HEADERS) {
                return tooLarge("more than " + MAX_HEADERS + " header fields");
            }
            AsciiString name = view(at, colon - at);
            AsciiString value = view(v, ve - v);
            names[count] = name;
            values[count++] = value;
            if (name.contentEqualsIgnoreCase("content-length")) {
                if (!contentLength(value, lengthSeen)) {
                    return bad("invalid or conflicting Content-Length");
                }
                lengthSeen = true;
            } else if (name.contentEqualsIgnoreCase("transfer-encoding")) {
                teSeen = true;
                int comma = value.lastIndexOf(",");
                chunked = value.subSequence(comma + 1, value.length()).trim().contentEqualsIgnoreCase("chunked");
            } else if (name.contentEqualsIgnoreCase("host")) {
                hosts++;
                if (authority == null) {
                    authority = value;
                }
            } else if (name.contentEqualsIgnoreCase("upgrade")) {
                tunnel = true;
            }
            at = lf + 1;
        }
        return framing(teSeen, lengthSeen, hosts);
    }

    private Result framing(boolean teSeen, boolean lengthSeen, int hosts) {
        boolean http11 = version.byteAt(version.length() - 1) == '1';
        if (teSeen && (!chunked || lengthSeen || !http11)) {
            chunked = false;
            return bad(!http11 ? "Transfer-Encoding in HTTP/1.0" : lengthSeen
                    ? "both Transfer-Encoding and Content-Length" : "Transfer-Encoding does not end in chunked");
        }
        if (http11 && hosts != 1 || hosts > 1) {
            return bad(hosts == 0 ? "no Host header" : "more than one Host header");
        }
        if (isConnect()) {
            tunnel = true;
        }
        return Result.HEAD;
    }

    /** Origin form ({@code /p?q}), absolute form ({@code http://host/p}), authority form (CONNECT) or {@code *}. */
    private void target(int from, int to) {
        if (isConnect()) {
            authority = view(from, to - from);
            path = null;
            return;
        }
        int scheme = indexOf(from, to, ':');
        if (bytes[from] != '/' && bytes[from] != '*' && scheme < to - 2 && bytes[scheme + 1] == '/'
                && bytes[scheme + 2] == '/') {
            int host = scheme + 3;
            int slash = host;
            while (slash < to && bytes[slash] != '/' && bytes[slash] != '?') {
                slash++;
            }
            authority = view(host, slash - host);
            path = slash == to ? new AsciiString("/") : bytes[slash] == '?'
                    ? new AsciiString("/" + view(slash, to - slash)) : view(slash, to - slash);
            return;
        }
        path = view(from, to - from);
    }

    private boolean contentLength(AsciiString value, boolean seen) {
        long parsed = HttpSyntax.contentLength(value);
        if (parsed < 0 || seen && parsed != contentLength) {
            return false;
        }
        contentLength = parsed;
        return true;
    }

    private boolean isConnect() {
        return method.contentEquals("CONNECT");
    }

    private void reset() {
        for (int i = 0; i < count; i++) {
            names[i] = null;
            values[i] = null;
        }
        count = 0;
        method = null;
        path = null;
        authority = null;
        version = null;
        contentLength = 0;
        chunked = false;
        tunnel = false;
        problem = null;
    }

    private Result bad(String why) {
        problem = why;
        return Result.BAD;
    }

    private Result tooLarge(String why) {
        problem = why;
        return Result.TOO_LARGE;
    }

    private AsciiString view(int from, int length) {
        return new AsciiString(bytes, from, length, false);
    }

    private int indexOf(int from, int to, char c) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == c) {
                return i;
            }
        }
        return to;
    }
}
