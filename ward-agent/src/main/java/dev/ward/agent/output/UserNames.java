package dev.ward.agent.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * User names by uid from the container's passwd file, for the reports' UserName (KubeArmor reports it too).
 * The agent runs in the workload's container, so this is the workload's file. Read lazily and again when
 * its modification time changed (checked at most once a second: a workload may add users), on the exporter
 * thread only: not thread-safe.
 */
final class UserNames {
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final Path file;
    private Map<Integer, String> names = Map.of();
    private long modified = Long.MIN_VALUE;
    private long checkedNanos;
    private boolean checked;

    UserNames(Path file) {
        this.file = file;
    }

    /** The name of {@code uid}, or null when the file has none (or cannot be read). */
    String name(int uid) {
        long now = System.nanoTime();
        if (!checked || now - checkedNanos > RECHECK_NANOS) {
            checked = true;
            checkedNanos = now;
            reloadIfChanged();
        }
        return names.get(uid);
    }

    private void reloadIfChanged() {
        try {
            long m = Files.getLastModifiedTime(file).toMillis();
            if (m == modified) {
                return;
            }
            modified = m;
            names = parse(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            names = Map.of(); // no passwd file (distroless, scratch): reports carry no UserName
        }
    }

    /** {@code name:password:uid:...} lines; the first name of a uid wins, as getpwuid answers. */
    static Map<Integer, String> parse(String passwd) {
        Map<Integer, String> out = new HashMap<>();
        for (String line : passwd.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length < 3 || f[0].isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                out.putIfAbsent(Integer.parseInt(f[2].strip()), f[0]);
            } catch (NumberFormatException e) {
                // a malformed line names no one
            }
        }
        return Map.copyOf(out);
    }
}
