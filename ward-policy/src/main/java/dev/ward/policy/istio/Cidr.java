package dev.ward.policy.istio;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An IP block of {@code ipBlocks}, {@code remoteIpBlocks} or a {@code source.ip}/{@code destination.ip} condition:
 * a single address or a CIDR, IPv4 or IPv6. Addresses are held as 128 bits (IPv4 as {@code ::ffff:a.b.c.d}), so a
 * test is two masked compares and allocates nothing.
 *
 * <pre>{@code
 * Cidr c = Cidr.parse("10.0.0.0/8");
 * c.contains(IpBits.hi(addr), IpBits.lo(addr));
 * }</pre>
 */
public record Cidr(long hi, long lo, int bits, String text) {
    private static final java.util.regex.Pattern DOTTED_QUAD =
            java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /**
     * Parses {@code ADDRESS} or {@code ADDRESS/BITS}; an {@link IllegalArgumentException} says what is wrong. Never
     * resolves names: only literals are accepted.
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        boolean v4 = address.indexOf(':') < 0;
        if (v4 && !DOTTED_QUAD.matcher(address).matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IP address or CIDR");
        }
        InetAddress a;
        try {
            a = InetAddress.ofLiteral(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IP address or CIDR");
        }
        int max = a instanceof Inet4Address ? 32 : 128;
        int bits = max;
        if (slash >= 0) {
            String b = text.substring(slash + 1);
            if (b.isEmpty() || b.length() > 3 || !b.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(b) > max) {
                throw new IllegalArgumentException("\"" + text + "\" has a prefix length other than 0 to " + max);
            }
            bits = Integer.parseInt(b);
        }
        if (max == 32) {
            bits += 96;
        }
        byte[] raw = a.getAddress();
        long hi = IpBits.hi(raw);
        long lo = IpBits.lo(raw);
        if ((hi & ~mask(bits, 0)) != 0 || (lo & ~mask(bits, 64)) != 0) {
            // Istio accepts host bits set and masks them; so do we (the lint can warn).
            hi &= mask(bits, 0);
            lo &= mask(bits, 64);
        }
        return new Cidr(hi, lo, bits, text);
    }

    /** Whether the address given as 128 bits (see {@link IpBits}) is inside the block. */
    public boolean contains(long addrHi, long addrLo) {
        return (addrHi & mask(bits, 0)) == hi && (addrLo & mask(bits, 64)) == lo;
    }

    /** The mask of the 64-bit half starting at bit {@code offset} (0 or 64) for a prefix of {@code bits}. */
    private static long mask(int bits, int offset) {
        int n = Math.clamp(bits - offset, 0, 64);
        return n == 0 ? 0 : -1L << (64 - n);
    }

    @Override
    public String toString() {
        return text;
    }
}
