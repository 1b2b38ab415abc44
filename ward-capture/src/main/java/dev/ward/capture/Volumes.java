package dev.ward.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mount points under the container's root, read once from /proc/self/mountinfo: volumes, which another
 * container of the task may share and change, and the kernel's own filesystems. A file on the root filesystem
 * (the image's) has names that only this container's processes can change, which the tracer sees; one under a
 * mount point may be renamed by a process Ward does not trace, so its opens are checked at their exit.
 */
public final class Volumes {
    private final byte[][] points;

    private Volumes(List<byte[]> points) {
        this.points = points.toArray(byte[][]::new);
    }

    /** This container's, read on first use (off the start's path) and kept: mounts need CAP_SYS_ADMIN to change. */
    public static Volumes instance() {
        return Holder.INSTANCE;
    }

    static Volumes read() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            return new Volumes(List.of(new byte[0])); // unknown: every path counts as on a volume
        }
    }

    private static final class Holder {
        static final Volumes INSTANCE = read();
    }

    /** From mountinfo lines: field 5 is the mount point, with octal escapes for spaces and the like. */
    static Volumes parse(List<String> mountinfo) {
        List<byte[]> out = new ArrayList<>();
        for (String line : mountinfo) {
            String[] f = line.split(" ");
            if (f.length > 4 && !f[4].equals("/")) {
                out.add(unescape(f[4]).getBytes(StandardCharsets.UTF_8));
            }
        }
        return new Volumes(out);
    }

    /** Whether {@code path[0..len)}, absolute, is on the root filesystem, under no other mount point. */
    public boolean onRoot(byte[] path, int len) {
        for (byte[] p : points) {
            if (len >= p.length && java.util.Arrays.equals(path, 0, p.length, p, 0, p.length)
                    && (len == p.length || path[p.length] == '/')) {
                return false;
            }
        }
        return true;
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
