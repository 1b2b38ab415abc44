package dev.ward.policy.match;

import java.util.Arrays;

/**
 * A compiled glob over absolute paths: {@code *} matches any characters except '/', {@code ?} one character except
 * '/', {@code **} any characters including '/'; a {@code /**}{@code /} component also matches zero directories
 * ({@code /a/**}{@code /b} matches {@code /a/b}). Every other character is literal.
 *
 * <p>Compiled into a position automaton simulated with bit sets (bit i set = "the first i tokens matched"), so a
 * match costs one pass over the path whatever the pattern, with no backtracking and no allocation. Input is
 * decoded from UTF-8 on the fly so that {@code ?} matches one character, not one byte.
 *
 * <p>Immutable and thread-safe; callers pass scratch space of {@link #scratchWords()} longs.
 */
public final class Glob {
    /** Longest supported pattern, in tokens; 1024 states fit sixteen 64-bit words. */
    public static final int MAX_TOKENS = 1023;
    /** Scratch a caller must provide for any glob: two state sets of the largest size. */
    public static final int MAX_SCRATCH = 2 * ((MAX_TOKENS + 1 + 63) / 64);

    private static final int OTHER = 0x110000;

    private final String pattern;
    private final int tokens;
    private final int words;
    private final byte[] asciiSlot;     // code point < 128 -> slot + 1, 0 when no literal uses it
    private final int[] otherCodePoints; // sorted non-ASCII literal code points
    private final int[] otherSlots;
    private final long[] literalMasks;  // slot * words .. : tokens that are this literal
    private final long[] anyMask;       // '?'
    private final long[] starMask;      // '*'
    private final long[] dstarMask;     // '**'
    private final long[] epsMask;       // tokens that may be passed without input: '*', '**' and entry tokens
    private final long[] skip3Mask;     // entry token of "**/": may skip itself, '**' and '/' (zero directories)
    private final String literalDirPrefix;
    private final boolean wildcard;

    private Glob(String pattern, int[] kinds, int[] cps) {
        this.pattern = pattern;
        this.tokens = kinds.length;
        this.words = (tokens + 1 + 63) / 64;
        this.anyMask = new long[words];
        this.starMask = new long[words];
        this.dstarMask = new long[words];
        this.epsMask = new long[words];
        this.skip3Mask = new long[words];
        this.asciiSlot = new byte[128];
        var other = new java.util.TreeMap<Integer, Integer>();
        int slots = 0;
        int[] slotOf = new int[tokens];
        var asciiSlots = new int[128];
        Arrays.fill(asciiSlots, -1);
        for (int i = 0; i < tokens; i++) {
            if (kinds[i] != LIT) {
                continue;
            }
            int cp = cps[i];
            if (cp < 128) {
                if (asciiSlots[cp] < 0) {
                    asciiSlots[cp] = slots++;
                }
                slotOf[i] = asciiSlots[cp];
            } else {
                Integer s = other.get(cp);
                if (s == null) {
                    s = slots++;
                    other.put(cp, s);
                }
                slotOf[i] = s;
            }
        }
        // More than 127 distinct ASCII literals cannot happen (there are only 128), so a byte holds slot + 1.
        for (int c = 0; c < 128; c++) {
            asciiSlot[c] = (byte) (asciiSlots[c] + 1);
        }
        otherCodePoints = new int[other.size()];
        otherSlots = new int[other.size()];
        int j = 0;
        for (var e : other.entrySet()) {
            otherCodePoints[j] = e.getKey();
            otherSlots[j++] = e.getValue();
        }
        literalMasks = new long[Math.max(1, slots) * words];
        boolean wild = false;
        for (int i = 0; i < tokens; i++) {
            long bit = 1L << (i & 63);
            int w = i >>> 6;
            switch (kinds[i]) {
                case LIT -> literalMasks[slotOf[i] * words + w] |= bit;
                case ANY -> {
                    anyMask[w] |= bit;
                    wild = true;
                }
                case STAR -> {
                    starMask[w] |= bit;
                    epsMask[w] |= bit;
                    wild = true;
                }
                case DSTAR -> {
                    dstarMask[w] |= bit;
                    epsMask[w] |= bit;
                    wild = true;
                }
                default -> {
                    epsMask[w] |= bit;
                    skip3Mask[w] |= bit;
                }
            }
        }
        this.wildcard = wild;
        this.literalDirPrefix = prefixOf(pattern);
    }

    private static final int LIT = 0;
    private static final int ANY = 1;
    private static final int STAR = 2;
    private static final int DSTAR = 3;
    /**
     * Entry of a "**&#47;" component, consuming nothing: from here the automaton may skip "**&#47;" entirely.
     * Skipping from the '**' state itself would be wrong, because that state is also where '**' loops after
     * consuming characters ("/var/**&#47;log" must not match "/var/alog").
     */
    private static final int SEGMENTS = 4;

    /**
     * Compiles a pattern.
     *
     * @throws IllegalArgumentException when the pattern has more than {@link #MAX_TOKENS} tokens
     */
    public static Glob compile(String pattern) {
        int n = pattern.codePointCount(0, pattern.length());
        int[] kinds = new int[2 * n];
        int[] cps = new int[2 * n];
        int t = 0;
        int prev = -1;
        for (int i = 0; i < pattern.length(); ) {
            int cp = pattern.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '*') {
                boolean dbl = i < pattern.length() && pattern.charAt(i) == '*';
                while (i < pattern.length() && pattern.charAt(i) == '*') {
                    i++;
                }
                if (dbl && (prev == '/' || prev == -1) && i < pattern.length() && pattern.charAt(i) == '/') {
                    kinds[t++] = SEGMENTS;
                }
                kinds[t++] = dbl ? DSTAR : STAR;
                prev = '*';
            } else {
                kinds[t] = cp == '?' ? ANY : LIT;
                cps[t++] = cp;
                prev = cp;
            }
        }
        if (t > MAX_TOKENS) {
            throw new IllegalArgumentException("pattern longer than " + MAX_TOKENS + " characters");
        }
        return new Glob(pattern, Arrays.copyOf(kinds, t), Arrays.copyOf(cps, t));
    }

    /** True when the text contains {@code *} or {@code ?}. */
    public static boolean hasWildcard(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
    }

    public String pattern() {
        return pattern;
    }

    /** False when the pattern is plain text (it then matches only itself). */
    public boolean wildcard() {
        return wildcard;
    }

    /**
     * The longest directory prefix without wildcards, ending in '/': "/etc/" for "/etc/*hado?", "/" for "/**".
     * Every path the glob matches starts with it, so an index can skip the glob for paths outside it.
     */
    public String literalDirPrefix() {
        return literalDirPrefix;
    }

    /** Longs of scratch {@link #matches} needs. */
    public int scratchWords() {
        return 2 * words;
    }

    /** Matches a string (tests and tools; allocates). */
    public boolean matches(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return matches(b, 0, b.length, new long[scratchWords()]);
    }

    /**
     * True when the whole of {@code buf[off, off+len)} matches.
     *
     * @param scratch at least {@link #scratchWords()} longs, overwritten
     */
    public boolean matches(byte[] buf, int off, int len, long[] scratch) {
        if (words == 1) {
            return matchesOneWord(buf, off, len);
        }
        long[] cur = scratch;
        Arrays.fill(cur, 0, 2 * words, 0L);
        cur[0] = 1L;
        closure(cur, 0);
        int end = off + len;
        int i = off;
        while (i < end) {
            int b = buf[i] & 0xff;
            int cp;
            if (b < 0x80) {
                cp = b;
                i++;
            } else {
                int n = Utf8.length(buf, i, end);
                cp = n > 0 ? Utf8.decode(buf, i, n) : OTHER + b;
                i += n > 0 ? n : 1;
            }
            int lit = literalSlot(cp);
            boolean slash = cp == '/';
            boolean any = false;
            long carry = 0;
            for (int w = 0; w < words; w++) {
                long c = cur[w];
                long adv = (lit >= 0 ? literalMasks[lit * words + w] : 0L) | (slash ? 0L : anyMask[w]);
                long stay = (slash ? 0L : starMask[w]) | dstarMask[w];
                long moved = c & adv;
                long next = (moved << 1) | carry | (c & stay);
                carry = moved >>> 63;
                scratch[words + w] = next;
                any |= next != 0;
            }
            if (!any) {
                return false;
            }
            System.arraycopy(scratch, words, cur, 0, words);
            closure(cur, 0);
        }
        return (cur[tokens >>> 6] & (1L << (tokens & 63))) != 0;
    }

    private boolean matchesOneWord(byte[] buf, int off, int len) {
        long any = anyMask[0];
        long star = starMask[0];
        long dstar = dstarMask[0];
        long eps = epsMask[0];
        long skip3 = skip3Mask[0];
        long cur = closure1(1L, eps, skip3);
        int end = off + len;
        int i = off;
        while (i < end) {
            int b = buf[i] & 0xff;
            int cp;
            if (b < 0x80) {
                cp = b;
                i++;
            } else {
                int n = Utf8.length(buf, i, end);
                cp = n > 0 ? Utf8.decode(buf, i, n) : OTHER + b;
                i += n > 0 ? n : 1;
            }
            int lit = literalSlot(cp);
            long adv = lit >= 0 ? literalMasks[lit] : 0L;
            long stay = dstar;
            if (cp != '/') {
                adv |= any;
                stay |= star;
            }
            cur = closure1(((cur & adv) << 1) | (cur & stay), eps, skip3);
            if (cur == 0) {
                return false;
            }
        }
        return (cur & (1L << tokens)) != 0;
    }

    private static long closure1(long x, long eps, long skip3) {
        while (true) {
            long y = x | ((x & eps) << 1) | ((x & skip3) << 3);
            if (y == x) {
                return x;
            }
            x = y;
        }
    }

    private void closure(long[] x, int base) {
        boolean changed = true;
        while (changed) {
            changed = false;
            long carry1 = 0;
            long carry3 = 0;
            for (int w = 0; w < words; w++) {
                long v = x[base + w];
                long s1 = v & epsMask[w];
                long s3 = v & skip3Mask[w];
                long y = v | (s1 << 1) | carry1 | (s3 << 3) | carry3;
                carry1 = s1 >>> 63;
                carry3 = s3 >>> 61;
                if (y != v) {
                    x[base + w] = y;
                    changed = true;
                }
            }
        }
    }

    private int literalSlot(int cp) {
        if (cp < 128) {
            return asciiSlot[cp] - 1;
        }
        int k = Arrays.binarySearch(otherCodePoints, cp);
        return k >= 0 ? otherSlots[k] : -1;
    }

    private static String prefixOf(String pattern) {
        int firstWild = pattern.length();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?') {
                firstWild = i;
                break;
            }
        }
        int slash = pattern.lastIndexOf('/', firstWild == pattern.length() ? pattern.length() - 1 : firstWild);
        return slash < 0 ? "" : pattern.substring(0, slash + 1);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
