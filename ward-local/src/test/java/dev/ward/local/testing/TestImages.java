package dev.ward.local.testing;

import dev.ward.podman.ContainersConf;
import dev.ward.local.Podman;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Container images for tests, built on this machine (no registry is reachable): each is built once and
 * reused while its inputs are unchanged (the tag is a hash of them), across processes and runs.
 *
 * <ul>
 *   <li>{@link #busybox()}: {@code /bin/busybox} (busybox-static) and its applet links, /etc/passwd with
 *       root and nobody (65534), /tmp. About 2 MB, built in well under a second.</li>
 *   <li>{@link #debian()}: Debian bookworm minbase with bash, coreutils, socat and nginx-light, from
 *       {@code debootstrap} (Debian mirror). First build about 35 s plus import; the root file system is
 *       kept as a tar in {@link #cacheDir()} so a removed image is re-imported in seconds.</li>
 * </ul>
 *
 * <pre>{@code
 * Podman podman = TestImages.podman();
 * String ref = TestImages.busybox();   // "localhost/ward-test-busybox:<hash>"
 * }</pre>
 *
 * Needs root (podman rootful, debootstrap), busybox-static, debootstrap, tar.
 */
public final class TestImages {
    static final String BUILDER_VERSION = "1";
    static final String DEBIAN_SUITE = "bookworm";
    static final List<String> DEBIAN_PACKAGES = List.of("bash", "coreutils", "socat", "nginx-light");
    static final String DEBIAN_MIRROR = "http://deb.debian.org/debian";

    private TestImages() {}

    /** Podman with the same containers.conf {@code ward local} uses (or $CONTAINERS_CONF). */
    public static Podman podman() {
        return Podman.locate(ContainersConf.resolve(null, System.getenv()));
    }

    /** Where built root file systems are kept: $WARD_TEST_IMAGE_CACHE, else ~/.cache/ward/test-images. */
    public static Path cacheDir() {
        String env = System.getenv("WARD_TEST_IMAGE_CACHE");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "ward", "test-images");
    }

    /** A busybox-static image; returns its reference. */
    public static synchronized String busybox() {
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) {
            throw new IllegalStateException("/bin/busybox is missing: apt-get install busybox-static");
        }
        String key = hash(List.of(BUILDER_VERSION, "busybox"), List.of(busybox));
        String ref = "localhost/ward-test-busybox:" + key;
        return ensure(ref, () -> {
            Path root = Files.createTempDirectory("ward-busybox");
            try {
                Files.createDirectories(root.resolve("bin"));
                Files.copy(busybox, root.resolve("bin/busybox"));
                String applets = run(List.of("/bin/busybox", "--list"));
                for (String a : applets.split("\n")) {
                    a = a.strip();
                    if (!a.isEmpty() && !a.equals("busybox")) {
                        Files.createSymbolicLink(root.resolve("bin").resolve(a), Path.of("busybox"));
                    }
                }
                Files.createDirectories(root.resolve("etc"));
                Files.writeString(root.resolve("etc/passwd"),
                        "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n");
                Files.writeString(root.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
                Files.createDirectories(root.resolve("root"));
                Files.createDirectories(root.resolve("tmp"));
                run(List.of("chmod", "1777", root.resolve("tmp").toString()));
                importRoot(root, ref, List.of("CMD [\"/bin/sh\"]", "ENV PATH=/bin"));
            } finally {
                deleteTree(root);
            }
        });
    }

    /** A Debian bookworm image with bash, coreutils, socat and nginx-light; returns its reference. */
    public static synchronized String debian() {
        List<String> inputs = new ArrayList<>(List.of(BUILDER_VERSION, DEBIAN_SUITE, DEBIAN_MIRROR));
        inputs.addAll(DEBIAN_PACKAGES);
        String key = hash(inputs, List.of());
        String ref = "localhost/ward-test-debian:" + key;
        return ensure(ref, () -> {
            Path tar = cacheDir().resolve("debian-" + key + ".tar");
            if (!Files.isRegularFile(tar)) {
                Path work = Files.createTempDirectory(cacheDir(), "debootstrap");
                try {
                    Path root = work.resolve("root");
                    run(List.of("debootstrap", "--variant=minbase", "--include=" + String.join(",", DEBIAN_PACKAGES),
                            DEBIAN_SUITE, root.toString(), DEBIAN_MIRROR));
                    for (String junk : List.of("var/cache/apt/archives", "var/lib/apt/lists", "usr/share/doc",
                            "usr/share/man", "usr/share/locale", "usr/share/info")) {
                        run(List.of("find", root.resolve(junk).toString(), "-mindepth", "1", "-delete"));
                    }
                    Path tmp = work.resolve("root.tar");
                    run(List.of("tar", "--numeric-owner", "-C", root.toString(), "-cf", tmp.toString(), "."));
                    Files.move(tmp, tar, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    run(List.of("rm", "-rf", work.toString()));
                }
            }
            podmanOk(List.of("import", "--change", "CMD [\"/bin/bash\"]", tar.toString(), ref));
        });
    }

    /**
     * Imports the directory {@code root} as image {@code ref} with Dockerfile-style {@code changes}
     * (e.g. {@code VOLUME /ward}, {@code CMD ["/bin/sh"]}).
     */
    public static void importRoot(Path root, String ref, List<String> changes) throws IOException {
        Path tar = Files.createTempFile("ward-image", ".tar");
        try {
            run(List.of("tar", "--numeric-owner", "--owner=0", "--group=0", "-C", root.toString(), "-cf", tar.toString(), "."));
            List<String> args = new ArrayList<>(List.of("import"));
            for (String c : changes) {
                args.add("--change");
                args.add(c);
            }
            args.add(tar.toString());
            args.add(ref);
            podmanOk(args);
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    private interface Build {
        void run() throws IOException;
    }

    /** Builds {@code ref} unless it exists, under a file lock shared by every test JVM on the machine. */
    private static String ensure(String ref, Build build) {
        Podman podman = podman();
        if (podman.run(List.of("image", "exists", ref)).ok()) {
            return ref;
        }
        try {
            Files.createDirectories(cacheDir());
            Path lockFile = cacheDir().resolve(ref.replaceAll("[^A-Za-z0-9.-]", "_") + ".lock");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = ch.lock()) {
                if (!podman.run(List.of("image", "exists", ref)).ok()) {
                    build.run();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("building test image " + ref + ": " + e.getMessage(), e);
        }
        return ref;
    }

    private static void podmanOk(List<String> args) {
        Podman.Result r = podman().run(args);
        if (!r.ok()) {
            throw new IllegalStateException("podman " + String.join(" ", args) + " failed: " + r.err());
        }
    }

    static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed:\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd));
        }
        return out;
    }

    private static String hash(List<String> strings, List<Path> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String s : strings) {
                md.update(s.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            for (Path f : files) {
                md.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** For messages: the images this class builds and where they come from. */
    public static Map<String, String> describe() {
        return Map.of("busybox", "/bin/busybox (busybox-static)",
                "debian", "debootstrap " + DEBIAN_SUITE + " minbase + " + String.join(",", DEBIAN_PACKAGES));
    }
}
