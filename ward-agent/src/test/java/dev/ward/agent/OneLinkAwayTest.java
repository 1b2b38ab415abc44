package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ward.capture.Volumes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which opens through a symlink may be decided at their entry alone: exactly one link, whose target leads only
 * through names of the canonical path. Real files and links in a temporary directory on the root filesystem.
 */
class OneLinkAwayTest {
    @TempDir
    Path dir;
    private final Decider decider = new Decider();
    private final Volumes volumes = Volumes.instance();

    @BeforeEach
    void onTheRootFilesystem() throws IOException {
        dir = dir.toRealPath();
        byte[] d = bytes(dir.toString());
        assumeTrue(volumes.onRoot(d, d.length), "the temporary directory is on a mount of its own");
        Files.createDirectories(dir.resolve("usr/lib/x"));
        Files.writeString(dir.resolve("usr/lib/x/libc.so.6"), "c");
        Files.writeString(dir.resolve("usr/lib/x/libz.so.1.3"), "z");
        Files.createSymbolicLink(dir.resolve("usr/lib/x/libz.so.1"), Path.of("libz.so.1.3"));
        Files.createSymbolicLink(dir.resolve("lib"), Path.of("usr/lib"));
        Files.createSymbolicLink(dir.resolve("abs"), dir.resolve("usr/lib"));
        Files.createSymbolicLink(dir.resolve("dotted"), Path.of("./usr//lib/"));
        Files.createSymbolicLink(dir.resolve("up"), Path.of("usr/lib/x/../../lib"));
        Files.createSymbolicLink(dir.resolve("twice"), Path.of("lib"));
        Files.createDirectories(dir.resolve("usr/other"));
        Files.createSymbolicLink(dir.resolve("usr/other/x"), dir.resolve("usr/lib/x"));
        Files.createSymbolicLink(dir.resolve("usr/lnk"), Path.of("lib"));
    }

    @Test
    void aDirectoryLinkFollowedByCanonicalNamesIsOneLinkAway() {
        assertThat(away("lib/x/libc.so.6", "usr/lib/x/libc.so.6")).isTrue();
        assertThat(away("abs/x/libc.so.6", "usr/lib/x/libc.so.6")).as("absolute target").isTrue();
        assertThat(away("dotted/x/libc.so.6", "usr/lib/x/libc.so.6")).as("'.' and '//' in the target").isTrue();
        assertThat(away("usr/lnk/x/libc.so.6", "usr/lib/x/libc.so.6")).as("a link below the top").isTrue();
    }

    @Test
    void aFileOpenedByItsVersionedLinkIsOneLinkAway() {
        assertThat(away("usr/lib/x/libz.so.1", "usr/lib/x/libz.so.1.3")).isTrue();
    }

    @Test
    void moreThanOneLinkOrDotDotInTheTargetIsNot() {
        assertThat(away("twice/x/libc.so.6", "usr/lib/x/libc.so.6")).as("a link to a link").isFalse();
        assertThat(away("up/x/libc.so.6", "usr/lib/x/libc.so.6")).as("'..' in the target").isFalse();
    }

    @Test
    void aCanonicalPathThatDoesNotMatchTheLinkIsNot() {
        assertThat(away("lib/x/libc.so.6", "usr/lib/x/libz.so.1.3")).as("another file").isFalse();
        assertThat(away("lib/x/libc.so.6", "usr/other/x/libc.so.6")).as("another directory").isFalse();
        assertThat(away("usr/lib/x/libc.so.6", "usr/lib/x/libc.so.6.1")).as("no link at all").isFalse();
        // The link (x) lies below a directory (other) the canonical path does not name: that directory's own
        // form is not known, so the open keeps its exit check.
        assertThat(away("usr/other/x/libc.so.6", "usr/lib/x/libc.so.6")).as("a link after a differing name").isFalse();
    }

    @Test
    void theMergedUsrLinksOfThisSystemAreOneLinkAway() throws IOException {
        Path lib = Path.of("/lib");
        assumeTrue(Files.isSymbolicLink(lib) && Files.readSymbolicLink(lib).equals(Path.of("usr/lib")));
        byte[] p = bytes("/lib/ld-probe");
        byte[] c = bytes("/usr/lib/ld-probe");
        assertThat(decider.oneLinkAway(p, p.length, c, c.length, volumes)).isTrue();
    }

    private boolean away(String path, String canonical) {
        byte[] p = bytes(dir + "/" + path);
        byte[] c = bytes(dir + "/" + canonical);
        return decider.oneLinkAway(p, p.length, c, c.length, volumes);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
