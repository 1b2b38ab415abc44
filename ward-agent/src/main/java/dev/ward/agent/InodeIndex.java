package dev.ward.agent;

import dev.ward.policy.FileTarget;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The inodes behind the paths rules name, so that another name for the same file (a hard link made
 * before the agent started, or by a process the rules do not see) is decided as the rule's own path.
 * Built when a policy set is compiled, off the tracer thread; looked up only for files with more than
 * one link, so the common case costs nothing.
 */
final class InodeIndex {
    static final InodeIndex EMPTY = new InodeIndex(Map.of());
    /** A directory rule over a huge tree indexes this many files, then says so. */
    static final int MAX_FILES = 10_000;

    private record Key(long dev, long ino) {
    }

    private final Map<Key, byte[]> paths;

    private InodeIndex(Map<Key, byte[]> paths) {
        this.paths = paths;
    }

    static InodeIndex build(List<FileTarget> targets, PrintStream diagnostics) {
        Map<Key, byte[]> paths = new HashMap<>();
        for (FileTarget t : targets) {
            Path root = Path.of(t.path());
            if (!t.directory()) {
                add(paths, root);
                continue;
            }
            int[] walked = {0};
            try (Stream<Path> files = Files.walk(root, t.recursive() ? Integer.MAX_VALUE : 1)) {
                files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).limit(MAX_FILES + 1L)
                        .forEach(f -> {
                            walked[0]++;
                            add(paths, f);
                        });
            } catch (IOException | java.io.UncheckedIOException e) {
                continue; // a directory that does not exist (yet) has no links to protect
            }
            if (walked[0] > MAX_FILES) { // this directory's own count: a small one after a huge one says nothing
                diagnostics.println("ward: " + t.path() + " holds more than " + MAX_FILES
                        + " files; hard links to the others are decided by their own names");
            }
        }
        return paths.isEmpty() ? EMPTY : new InodeIndex(Map.copyOf(paths));
    }

    private static void add(Map<Key, byte[]> paths, Path file) {
        try {
            Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino,nlink", LinkOption.NOFOLLOW_LINKS);
            paths.putIfAbsent(new Key((Long) a.get("dev"), (Long) a.get("ino")),
                    file.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | UnsupportedOperationException e) {
            // missing or unreadable: nothing to index
        }
    }

    boolean isEmpty() {
        return paths.isEmpty();
    }

    /** The rule path of the file with this identity, or null. Allocates: call only when nlink > 1. */
    byte[] pathOf(long dev, long ino) {
        return paths.get(new Key(dev, ino));
    }
}
