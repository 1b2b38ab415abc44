package dev.ward.policy.istio;

/**
 * Istio's default path normalization ({@code BASE}, istio.io {@code docs/reference/config/security/normalization}),
 * applied before {@code paths}/{@code notPaths} are matched, so that {@code /public/../admin} meets a DENY on
 * {@code /admin*}: percent-encoded unreserved characters ({@code - . 0-9 A-Z _ a-z ~}) are decoded once, a backslash
 * becomes a slash, and {@code .}/{@code ..} segments are resolved as RFC 3986 section 5.2.4 says. {@code %2F} and
 * {@code %5C} stay encoded and slashes are not merged (those are the non-default options). A {@code %00} makes the
 * path invalid: Istio answers 400.
 *
 * <p>Writes into a caller-owned {@link StringBuilder}, so a reused one allocates nothing once grown.
 */
final class PathNormalizer {
    private PathNormalizer() {
    }

    /** Whether {@code path[0, end)} needs normalizing at all (most paths do not, and are matched in place). */
    static boolean needed(CharSequence path, int end) {
        for (int i = 0; i < end; i++) {
            char c = path.charAt(i);
            if (c == '%' || c == '\\' || (c == '.' && (i == 0 || path.charAt(i - 1) == '/'))) {
                return true;
            }
        }
        return false;
    }

    /** Normalizes {@code path[0, end)} into {@code out}; false when the path holds {@code %00} (refuse with 400). */
    static boolean normalize(CharSequence path, int end, StringBuilder out) {
        StringBuilder decoded = out;
        decoded.setLength(0);
        // One pass of decoding only: "%252e" becomes "%2e", not ".".
        for (int i = 0; i < end; i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < end) {
                int v = hex(path.charAt(i + 1)) << 4 | hex(path.charAt(i + 2));
                if (v == 0) {
                    return false;
                }
                if (v > 0 && unreserved((char) v)) {
                    decoded.append((char) v);
                    i += 2;
                    continue;
                }
            }
            decoded.append(c == '\\' ? '/' : c);
        }
        removeDotSegments(decoded);
        return true;
    }

    /** RFC 3986 5.2.4 in place: "." segments vanish, ".." removes the segment before it (never above the root). */
    private static void removeDotSegments(StringBuilder p) {
        int read = 0;
        int write = 0;
        int n = p.length();
        while (read < n) {
            int next = read + 1;
            while (next < n && p.charAt(next) != '/') {
                next++;
            }
            // The segment is p[read, next), starting with '/' unless the path is relative.
            int start = p.charAt(read) == '/' ? read + 1 : read;
            int len = next - start;
            boolean last = next >= n;
            if (len == 1 && p.charAt(start) == '.') {
                if (last) {
                    p.setCharAt(write++, '/');
                }
            } else if (len == 2 && p.charAt(start) == '.' && p.charAt(start + 1) == '.') {
                while (write > 0 && p.charAt(--write) != '/') {
                    // back to the previous segment's slash
                }
                if (last) {
                    p.setCharAt(write++, '/');
                }
            } else {
                for (int i = read; i < next; i++) {
                    p.setCharAt(write++, p.charAt(i));
                }
            }
            read = next;
        }
        p.setLength(write == 0 && n > 0 ? 1 : write);
        if (write == 0 && n > 0) {
            p.setCharAt(0, '/');
        }
    }

    private static boolean unreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                || c == '_' || c == '~';
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -256;
    }
}
