package dev.ward.policy.match;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable hash table from byte strings to values, looked up by a slice of a caller's buffer so that a lookup
 * never allocates (a {@code HashMap<String, V>} would need a String per lookup).
 *
 * <p>Open addressing with linear probing, load factor at most 1/2. Build with {@link Builder}; the table is
 * immutable and safe to share between threads once built.
 *
 * <pre>{@code
 * var b = new ByteKeyTable.Builder<Node>();
 * b.put("etc", etcNode);
 * ByteKeyTable<Node> t = b.build();
 * Node n = t.get(path, 1, 4);   // "etc" inside "/etc/passwd"
 * }</pre>
 */
public final class ByteKeyTable<V> {
    private static final ByteKeyTable<Object> EMPTY = new ByteKeyTable<>(new byte[1][], new int[1], new Object[1], 0);

    private final byte[][] keys;
    private final int[] hashes;
    private final Object[] values;
    private final int mask;
    private final int size;

    private ByteKeyTable(byte[][] keys, int[] hashes, Object[] values, int size) {
        this.keys = keys;
        this.hashes = hashes;
        this.values = values;
        this.mask = keys.length - 1;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    public static <V> ByteKeyTable<V> empty() {
        return (ByteKeyTable<V>) EMPTY;
    }

    public int size() {
        return size;
    }

    /** The value stored under {@code buf[off, off+len)}, or null. */
    @SuppressWarnings("unchecked")
    public V get(byte[] buf, int off, int len) {
        if (size == 0) {
            return null;
        }
        int h = hash(buf, off, len);
        for (int i = h & mask; ; i = (i + 1) & mask) {
            byte[] k = keys[i];
            if (k == null) {
                return null;
            }
            if (hashes[i] == h && k.length == len && Arrays.equals(k, 0, len, buf, off, off + len)) {
                return (V) values[i];
            }
        }
    }

    /** Convenience lookup by string (allocates; not for hot paths). */
    public V get(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return get(k, 0, k.length);
    }

    static int hash(byte[] buf, int off, int len) {
        // FNV-1a, then a final mix so that the low bits used for the slot depend on every byte.
        int h = 0x811c9dc5;
        for (int i = off, end = off + len; i < end; i++) {
            h = (h ^ (buf[i] & 0xff)) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    /** Collects entries; a key put twice keeps the last value. Not thread-safe; build once. */
    public static final class Builder<V> {
        // Keys are held as ISO-8859-1 strings: one char per byte, so any byte sequence round-trips exactly.
        private final java.util.LinkedHashMap<String, V> entries = new java.util.LinkedHashMap<>();

        /** Puts a key given as text (stored as its UTF-8 bytes). */
        public Builder<V> put(String key, V value) {
            return putBytes(key.getBytes(StandardCharsets.UTF_8), value);
        }

        /** Puts a key given as raw bytes. */
        public Builder<V> putBytes(byte[] key, V value) {
            entries.put(new String(key, StandardCharsets.ISO_8859_1), value);
            return this;
        }

        public V get(String key) {
            return entries.get(new String(key.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        }

        public java.util.Collection<V> values() {
            return entries.values();
        }

        public ByteKeyTable<V> build() {
            if (entries.isEmpty()) {
                return empty();
            }
            int cap = Integer.highestOneBit(Math.max(2, entries.size()) * 2 - 1) << 1;
            byte[][] keys = new byte[cap][];
            int[] hashes = new int[cap];
            Object[] values = new Object[cap];
            for (var e : entries.entrySet()) {
                byte[] k = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
                int h = hash(k, 0, k.length);
                int i = h & (cap - 1);
                while (keys[i] != null) {
                    i = (i + 1) & (cap - 1);
                }
                keys[i] = k;
                hashes[i] = h;
                values[i] = e.getValue();
            }
            return new ByteKeyTable<>(keys, hashes, values, entries.size());
        }
    }
}
