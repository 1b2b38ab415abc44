package dev.ward.mesh.hbone;

import io.netty.buffer.ByteBuf;

/** Small pieces of HTTP/1.1 syntax (RFC 9110, 9112) for {@link Http1Parser}. */
final class HttpSyntax {
    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

    private HttpSyntax() {
    }

    /** Whether {@code b} may appear in a token (a method, a header name). */
    static boolean isTchar(byte b) {
        return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
                || b > 0 && TCHAR_SYMBOLS.indexOf(b) >= 0;
    }

    /** Whether the bytes of {@code in} from {@code at} to {@code end} are a prefix of {@code expected}, or start with it. */
    static boolean prefixOf(ByteBuf in, int at, int end, byte[] expected) {
        for (int i = 0; i < expected.length && at + i < end; i++) {
            if (in.getByte(at + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A Content-Length value: one decimal, or a list of equal ones ({@code 5, 5}, which RFC 9110 section 8.6 lets a
     * recipient take as 5); -1 for anything else (empty, signs, different values, more than 18 digits).
     */
    static long contentLength(CharSequence value) {
        long parsed = -1;
        int i = 0;
        while (i <= value.length()) {
            int e = i;
            while (e < value.length() && value.charAt(e) != ',') {
                e++;
            }
            int from = i;
            int to = e;
            while (from < to && (value.charAt(from) == ' ' || value.charAt(from) == '\t')) {
                from++;
            }
            while (to > from && (value.charAt(to - 1) == ' ' || value.charAt(to - 1) == '\t')) {
                to--;
            }
            if (from == to || to - from > 18) {
                return -1;
            }
            long n = 0;
            for (int k = from; k < to; k++) {
                char c = value.charAt(k);
                if (c < '0' || c > '9') {
                    return -1;
                }
                n = n * 10 + (c - '0');
            }
            if (parsed >= 0 && n != parsed) {
                return -1;
            }
            parsed = n;
            i = e + 1;
        }
        return parsed;
    }
}
