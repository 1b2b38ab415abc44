package dev.ward.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers as GNU tar reads them: the tree at its root with modes, links and long names kept, owner 0:0, one
 * modification time, and the same bytes (so the same digests) for the same tree whatever its files' times.
 */
@Tag("process")
class ImageLayerTest {
    private static final String LONG = "a-directory-name-long-enough/that-the-whole-path-is-more-than/"
            + "one-hundred-characters-which-ustar-cannot-hold/file.txt";

    @TempDir
    Path tmp;

    @Test
    void gnuTarReadsTheTreeBackWithModesLinksAndLongNames() throws Exception {
        Path tree = tree();
        ImageLayer layer = ImageLayer.of(tree, "/ward", tmp.resolve("layer.tar.gz"));
        String listing = run("tar", "--numeric-owner", "-tvzf", layer.file().toString());
        assertThat(listing.lines().map(l -> l.split("\\s+")[1]).distinct()).containsExactly("0/0");
        assertThat(listing).contains("-rwxr-x--- 0/0", "ward/bin/java").contains("-rw-r--r-- 0/0")
                .contains("ward/legal/LICENSE -> ../docs/LICENSE").contains("ward/" + LONG)
                .contains("1970-01-01 00:00");
        assertThat(listing.lines().toList().getFirst()).contains("drwxr-xr-x").endsWith(" ward/");

        Path out = Files.createDirectory(tmp.resolve("out"));
        run("tar", "-xzf", layer.file().toString(), "-C", out.toString());
        assertThat(Files.readString(out.resolve("ward/bin/java"))).isEqualTo("#!/bin/sh\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("ward/bin/java"))))
                .isEqualTo("rwxr-x---");
        assertThat(Files.readSymbolicLink(out.resolve("ward/legal/LICENSE"))).isEqualTo(Path.of("../docs/LICENSE"));
        assertThat(Files.readString(out.resolve("ward/" + LONG))).isEqualTo("long\n");

        try (InputStream in = new GZIPInputStream(Files.newInputStream(layer.file()))) {
            assertThat(ImageBuild.sha256(in.readAllBytes())).isEqualTo(layer.diffId());
        }
        assertThat(ImageBuild.sha256(Files.readAllBytes(layer.file()))).isEqualTo(layer.digest());
        assertThat(layer.size()).isEqualTo(Files.size(layer.file()));
    }

    @Test
    void theSameTreeGivesTheSameLayerWhateverItsFilesTimes() throws Exception {
        Path tree = tree();
        ImageLayer first = ImageLayer.of(tree, "/ward", tmp.resolve("first.tar.gz"));
        Files.setLastModifiedTime(tree.resolve("bin/java"), FileTime.fromMillis(1_000_000_000_000L));
        ImageLayer second = ImageLayer.of(tree, "/ward", tmp.resolve("second.tar.gz"));
        assertThat(second.digest()).isEqualTo(first.digest());
        assertThat(second.diffId()).isEqualTo(first.diffId());
        Files.writeString(tree.resolve("bin/java"), "#!/bin/sh\nexit 1\n");
        assertThat(ImageLayer.of(tree, "/ward", tmp.resolve("third.tar.gz")).digest()).isNotEqualTo(first.digest());
    }

    private Path tree() throws Exception {
        Path t = Files.createDirectories(tmp.resolve("tree-" + System.nanoTime()));
        Path java = Files.writeString(Files.createDirectories(t.resolve("bin")).resolve("java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-x---"));
        Path license = Files.writeString(Files.createDirectories(t.resolve("docs")).resolve("LICENSE"), "GPL\n");
        Files.setPosixFilePermissions(license, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(Files.createDirectories(t.resolve("legal")).resolve("LICENSE"), Path.of("../docs/LICENSE"));
        Path deep = t.resolve(LONG);
        Files.createDirectories(deep.getParent());
        Files.writeString(deep, "long\n");
        return t;
    }

    private static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
