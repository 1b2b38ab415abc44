package dev.ward.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a POSIX tar stream (ustar headers, a pax extended header for names or link targets that do not fit)
 * with what makes image layers reproducible: owner 0:0 without names, one fixed modification time. Entries are
 * written in the order given; {@link #finish()} writes the end-of-archive blocks (the stream stays open).
 */
final class TarWriter {
    /** Every entry's modification time: one second after the epoch (some tools take 0 for "unset"). */
    static final long MTIME = 1;
    private static final int BLOCK = 512;

    private final OutputStream out;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    /** A directory; {@code name} without a leading slash, a trailing one is added. */
    void directory(String name, int mode) throws IOException {
        header(name.endsWith("/") ? name : name + "/", mode, 0, '5', "");
    }

    /** A regular file of exactly {@code size} bytes read from {@code content}. */
    void file(String name, int mode, long size, InputStream content) throws IOException {
        header(name, mode, size, '0', "");
        long left = size;
        byte[] buf = new byte[65536];
        while (left > 0) {
            int n = content.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException(name + ": ended " + left + " bytes before its size of " + size);
            }
            out.write(buf, 0, n);
            left -= n;
        }
        pad(size);
    }

    void file(String name, int mode, byte[] content) throws IOException {
        file(name, mode, content.length, new java.io.ByteArrayInputStream(content));
    }

    /** A symbolic link to {@code target} (kept as written: relative links stay relative). */
    void symlink(String name, String target) throws IOException {
        header(name, 0777, 0, '2', target);
    }

    /** The two zero blocks that end an archive. */
    void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    private void header(String name, int mode, long size, char type, String link) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100 || linkBytes.length > 100 || !ascii(name) || !ascii(link)) {
            StringBuilder pax = new StringBuilder();
            pax.append(record("path", name));
            if (!link.isEmpty()) {
                pax.append(record("linkpath", link));
            }
            byte[] data = pax.toString().getBytes(StandardCharsets.UTF_8);
            out.write(block(truncate("PaxHeaders/" + name), 0644, data.length, 'x', ""));
            out.write(data);
            pad(data.length);
        }
        out.write(block(truncate(name), mode, size, type, truncate(link)));
    }

    private static byte[] block(String name, int mode, long size, char type, String link) {
        if (size > 077777777777L) {
            throw new IllegalArgumentException(name + ": " + size + " bytes is more than a tar header can say (8 GiB)");
        }
        byte[] h = new byte[BLOCK];
        put(h, 0, name, 100);
        put(h, 100, String.format("%07o", mode & 07777), 8);
        put(h, 108, "0000000", 8);
        put(h, 116, "0000000", 8);
        put(h, 124, String.format("%011o", size), 12);
        put(h, 136, String.format("%011o", MTIME), 12);
        h[156] = (byte) type;
        put(h, 157, link, 100);
        put(h, 257, "ustar", 6);
        put(h, 263, "00", 2);
        Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum), 7);
        return h;
    }

    /** One pax record: {@code LENGTH key=value\n}, LENGTH counting the whole record, its own digits included. */
    private static String record(String key, String value) {
        int rest = key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length + 3;
        int length = rest + 1;
        while (String.valueOf(length).length() + rest != length) {
            length = String.valueOf(length).length() + rest;
        }
        return length + " " + key + "=" + value + "\n";
    }

    private void pad(long size) throws IOException {
        int rem = (int) (size % BLOCK);
        if (rem != 0) {
            out.write(new byte[BLOCK - rem]);
        }
    }

    private static boolean ascii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    /** The first 100 ASCII characters (the pax header before it carries the full name). */
    private static String truncate(String s) {
        String a = s.replaceAll("[^\\x00-\\x7f]", "_");
        return a.length() > 100 ? a.substring(0, 100) : a;
    }

    private static void put(byte[] header, int offset, String value, int max) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, Math.min(b.length, max));
    }
}
