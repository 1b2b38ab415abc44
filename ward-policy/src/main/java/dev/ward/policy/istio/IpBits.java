package dev.ward.policy.istio;

/** IP addresses as two longs: IPv6 as is, IPv4 as the IPv4-mapped IPv6 address {@code ::ffff:a.b.c.d}. */
public final class IpBits {
    private IpBits() {
    }

    /** The high 64 bits of a 4- or 16-byte address. */
    public static long hi(byte[] a) {
        return a.length == 4 ? 0L : read(a, 0);
    }

    /** The low 64 bits of a 4- or 16-byte address. */
    public static long lo(byte[] a) {
        if (a.length == 4) {
            return 0xffffL << 32 | (a[0] & 0xffL) << 24 | (a[1] & 0xffL) << 16 | (a[2] & 0xffL) << 8 | (a[3] & 0xffL);
        }
        return read(a, 8);
    }

    private static long read(byte[] a, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = v << 8 | (a[i] & 0xffL);
        }
        return v;
    }
}
