package dev.ward.agent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A small set of absolute paths, each a file or a directory (written with a trailing '/'), asked two
 * questions: does an entry cover this path (it, or something inside a directory entry), and does an entry
 * lie inside this directory (renaming the directory would give that entry another name). Immutable; the
 * lookups allocate nothing and are linear, which suits the handful of entries it holds.
 */
final class PathSet {
    static final PathSet EMPTY = new PathSet(List.of());

    private final byte[][] entries;

    private PathSet(List<byte[]> entries) {
        this.entries = entries.toArray(new byte[0][]);
    }

    /** Paths as strings: a trailing '/' makes a directory entry. */
    static PathSet of(Collection<String> paths) {
        List<byte[]> out = new ArrayList<>();
        for (String p : paths) {
            if (p != null && p.startsWith("/")) {
                out.add(p.getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.isEmpty() ? EMPTY : new PathSet(out);
    }

    boolean isEmpty() {
        return entries.length == 0;
    }

    /** Whether {@code path} is an entry, or lies inside a directory entry (or is that directory). */
    boolean covers(byte[] path, int length) {
        for (byte[] e : entries) {
            boolean dir = e[e.length - 1] == '/';
            int n = dir ? e.length - 1 : e.length;
            if (length < n || !regionEquals(path, e, n)) {
                continue;
            }
            if (length == n || dir && path[n] == '/') {
                return true;
            }
        }
        return false;
    }

    /**
     * The first entry that lies strictly inside the directory {@code dir} (as a string, without a trailing
     * '/'), or null. Cold path: allocates the answer.
     */
    String inside(byte[] dir, int length) {
        int n = length > 1 && dir[length - 1] == '/' ? length - 1 : length;
        for (byte[] e : entries) {
            if (e.length > n + 1 && (n == 1 && dir[0] == '/' || e[n] == '/') && regionEquals(e, dir, n)) {
                int end = e[e.length - 1] == '/' ? e.length - 1 : e.length;
                return new String(e, 0, end, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static boolean regionEquals(byte[] a, byte[] b, int n) {
        return java.util.Arrays.equals(a, 0, n, b, 0, n);
    }
}
