package dev.ward.image;

import dev.ward.local.testing.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * One bundle per test run, built by {@link Bundle} from the build's own jars (AOT cache trained in podman), kept
 * under target/bundle-cache/KEY where KEY hashes the contents of the module jars on the class path and of the
 * bundle builder itself: a rebuilt jar makes a new bundle, an unchanged build reuses the last one.
 */
final class TestBundle {
    private static Path dir;
    private static Path arm64;

    private TestBundle() {
    }

    static synchronized Path get() throws Exception {
        if (dir == null) {
            Path cache = Path.of("target", "bundle-cache").toAbsolutePath();
            Path out = cache.resolve(key()).resolve("ward");
            if (!Files.isRegularFile(out.resolve("ward.args"))) {
                if (Files.exists(cache)) {
                    Bundle.deleteTree(cache);
                }
                Files.createDirectories(out.getParent());
                new Bundle(System.err, TestImages.podman().containersConf()).build(out, true);
            }
            dir = out;
        }
        return dir;
    }

    /** The linux/arm64 bundle, cross-linked from {@link Arm64Jdk}'s JDK and sysroot (no AOT cache), cached as {@link #get}. */
    static synchronized Path arm64() throws Exception {
        if (arm64 == null) {
            Path jdk = Arm64Jdk.jdk();
            Path cache = Path.of("target", "bundle-cache-arm64").toAbsolutePath();
            Path out = cache.resolve(key()).resolve("ward");
            if (!Files.isRegularFile(out.resolve("ward.args"))) {
                if (Files.exists(cache)) {
                    Bundle.deleteTree(cache);
                }
                Files.createDirectories(out.getParent());
                new Bundle(System.err).build(out, "linux/arm64", jdk, Arm64Jdk.sysroot(), true);
            }
            arm64 = out;
        }
        return arm64;
    }

    /** Jars built by this project (under a target/ directory) by content, the others by name (versioned). */
    private static String key() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(e);
            sha.update(e.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (e.contains("/target/") && Files.isRegularFile(p)) {
                sha.update(Files.readAllBytes(p));
            }
        }
        try (InputStream in = Bundle.class.getResourceAsStream("Bundle.class")) {
            sha.update(in.readAllBytes());
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    /** Every regular file under {@code root}. */
    static List<Path> files(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
