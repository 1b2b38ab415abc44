package dev.ward.capture;

import dev.ward.bindings.Errno;

/** Byte-level path arithmetic for the hot path: joining and lexical normalisation, no allocation. */
public final class Paths {
    private Paths() {
    }

    /**
     * Normalises the absolute path {@code in[0..len)} into {@code out}: collapses repeated slashes,
     * drops {@code .}, applies {@code ..} (never above {@code /}), no trailing slash except for the root.
     *
     * @return the length written, or {@code -ENAMETOOLONG}
     */
    public static int normalize(byte[] in, int len, byte[] out) {
        int o = 0;
        out[o++] = '/';
        int i = 0;
        while (i < len) {
            while (i < len && in[i] == '/') {
                i++;
            }
            int start = i;
            while (i < len && in[i] != '/') {
                i++;
            }
            int seg = i - start;
            if (seg == 0 || (seg == 1 && in[start] == '.')) {
                continue;
            }
            if (seg == 2 && in[start] == '.' && in[start + 1] == '.') {
                while (o > 1 && out[o - 1] != '/') {
                    o--;
                }
                if (o > 1) {
                    o--; // the slash before the removed segment
                }
                continue;
            }
            if (o + seg + 1 > out.length) {
                return -Errno.ENAMETOOLONG;
            }
            if (o > 1) {
                out[o++] = '/';
            }
            System.arraycopy(in, start, out, o, seg);
            o += seg;
        }
        return o;
    }

    /**
     * Writes {@code base + "/" + rel} into {@code out}; returns the length or {@code -ENAMETOOLONG}.
     * {@code base} must be absolute.
     */
    /** Whether the path has a ".." component, which the kernel resolves after any symlink before it. */
    public static boolean hasDotDot(byte[] p, int len) {
        for (int i = 0; i + 1 < len; i++) {
            if (p[i] == '.' && p[i + 1] == '.' && (i == 0 || p[i - 1] == '/') && (i + 2 == len || p[i + 2] == '/')) {
                return true;
            }
        }
        return false;
    }

    public static int join(byte[] base, int baseLen, byte[] rel, int relLen, byte[] out) {
        if (baseLen + 1 + relLen > out.length) {
            return -Errno.ENAMETOOLONG;
        }
        System.arraycopy(base, 0, out, 0, baseLen);
        out[baseLen] = '/';
        System.arraycopy(rel, 0, out, baseLen + 1, relLen);
        return baseLen + 1 + relLen;
    }
}
