package dev.ward.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * One image layer as a gzipped tar in a file, reproducible: entries sorted by path, owner 0:0, one fixed
 * modification time, file modes kept, symbolic links kept as links.
 *
 * @param file   the tar.gz (the blob)
 * @param digest the blob's {@code sha256:HEX}
 * @param size   the blob's size
 * @param diffId the uncompressed tar's {@code sha256:HEX} (the configuration's {@code rootfs.diff_ids})
 */
record ImageLayer(Path file, String digest, long size, String diffId) {
    /** The tree {@code dir} at {@code root} (an absolute path in the image, such as /ward), written to {@code file}. */
    static ImageLayer of(Path dir, String root, Path file) throws IOException {
        String prefix = root.replaceFirst("^/+", "").replaceFirst("/+$", "");
        MessageDigest blob = sha256();
        MessageDigest tar = sha256();
        List<Path> paths;
        try (Stream<Path> s = Files.walk(dir)) {
            paths = s.filter(p -> !p.equals(dir)).sorted().toList();
        }
        try (OutputStream fileOut = Files.newOutputStream(file);
             GZIPOutputStream gz = new GZIPOutputStream(new DigestOutputStream(fileOut, blob), 65536);
             DigestOutputStream raw = new DigestOutputStream(gz, tar)) {
            TarWriter w = new TarWriter(raw);
            String[] parts = prefix.split("/");
            for (int i = 1; i <= parts.length; i++) {
                w.directory(String.join("/", List.of(parts).subList(0, i)), 0755);
            }
            for (Path p : paths) {
                String name = prefix + "/" + dir.relativize(p).toString().replace('\\', '/');
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isSymbolicLink()) {
                    w.symlink(name, Files.readSymbolicLink(p).toString());
                } else if (a.isDirectory()) {
                    w.directory(name, mode(a.permissions()));
                } else if (a.isRegularFile()) {
                    try (InputStream in = Files.newInputStream(p)) {
                        w.file(name, mode(a.permissions()), a.size(), in);
                    }
                } else {
                    throw new IOException(p + ": neither a file, a directory nor a symbolic link; cannot put it in a layer");
                }
            }
            w.finish();
        }
        return new ImageLayer(file, hex(blob), Files.size(file), hex(tar));
    }

    static int mode(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 0400 >> p.ordinal();
        }
        return mode;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(MessageDigest d) {
        return "sha256:" + HexFormat.of().formatHex(d.digest());
    }
}
