package dev.ward.policy.match;

/**
 * UTF-8 as the matchers read path bytes: a well-formed sequence is one code point; anything else is matched byte
 * by byte (paths are bytes, not text). Allocation-free: called per byte on the hot path.
 */
final class Utf8 {
    private Utf8() {
    }

    /** Length of a well-formed UTF-8 sequence starting at i, or 0 when it is not one. */
    static int length(byte[] buf, int i, int end) {
        int b = buf[i] & 0xff;
        int n = b >= 0xf0 && b < 0xf5 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
        if (n == 0 || i + n > end) {
            return 0;
        }
        for (int k = 1; k < n; k++) {
            if ((buf[i + k] & 0xc0) != 0x80) {
                return 0;
            }
        }
        return n;
    }

    /** The code point of the well-formed {@code n}-byte sequence at i. */
    static int decode(byte[] buf, int i, int n) {
        int cp = buf[i] & (0xff >>> (n + 1));
        for (int k = 1; k < n; k++) {
            cp = (cp << 6) | (buf[i + k] & 0x3f);
        }
        return cp;
    }
}
