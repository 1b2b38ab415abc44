package dev.ward.image;

import dev.ward.api.Entrypoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * Builds the portable agent bundle: a directory meant to be mounted (or layered) at {@value #ROOT} in any Linux
 * x86_64 image, with or without glibc or a shell; or in arm64 images, cross-linked from an arm64 JDK's jmods with an
 * arm64 sysroot's C library and loader (see {@link BundleTarget}; no AOT cache then).
 *
 * <pre>
 * /ward/bin/java        jlink runtime launcher; its ELF interpreter is /ward/glibc/ld-linux-x86-64.so.2
 * /ward/bin/env         coreutils' env (same loader): starts bin/java with the forwarded signals blocked
 * /ward/lib/...         the runtime (java.base, java.logging, java.naming, jdk.unsupported, jdk.crypto.ec)
 * /ward/app/            ward-agent.jar: the agent and the relay plugin with their dependencies, nothing else,
 *                       merged at build time ({@link AppJar}: one class path entry to check against the cache)
 * /ward/glibc/          this machine's loader and C libraries, found first through every object's RUNPATH
 * /ward/ward.args       the java @argfile: JVM flags, class path, main class
 * /ward/ward.aot        JDK 25 AOT cache, trained with the bundle at /ward (when podman was there to train it)
 * </pre>
 *
 * Started as {@link Entrypoint#PREFIX} {@code run [options] -- CMD...} ({@code /ward/bin/env --block-signal=...
 * /ward/bin/java @/ward/ward.args run ...}): no shell and no library of the
 * image is involved. The steps run external tools of the build machine (jlink in-process, ldd, patchelf,
 * podman for the training run); the agent itself never does.
 */
public final class Bundle {
    public static final String ROOT = Entrypoint.ROOT;
    /** The entrypoint prefix every protected container uses. */
    public static final List<String> PREFIX = Entrypoint.PREFIX;
    static final List<String> MODULES = List.of("java.base", "java.logging", "java.naming", "jdk.unsupported",
            "jdk.crypto.ec");
    /** Libraries glibc dlopens by name, copied when the build machine has them (see {@link NativeLibraries}). */
    static final List<String> DLOPENED = NativeLibraries.DLOPENED;
    /** Where each step reports what it did: one line each, for the user (the commands print them to stderr). */
    @FunctionalInterface
    public interface Progress {
        void step(String what);
    }

    private final Progress progress;
    private final Path containersConf;

    public Bundle(PrintStream log) {
        this(log, null);
    }

    /** {@code containersConf}: podman's CONTAINERS_CONF for the AOT training run (null: the environment's or ward local's). */
    public Bundle(PrintStream log, Path containersConf) {
        this(what -> log.println("ward: " + what), containersConf);
    }

    public Bundle(Progress progress, Path containersConf) {
        this.progress = progress;
        this.containersConf = containersConf;
    }

    /** Builds the linux/amd64 bundle into {@code target} (which must not exist), atomically: a failure leaves nothing. */
    public void build(Path target, boolean train) throws IOException, InterruptedException {
        build(target, BundleTarget.host(), train);
    }

    /**
     * Builds the bundle for {@code platform} into {@code target}, linked from {@code jdk}'s jmods with {@code
     * sysroot}'s C library (both null: this machine's, linux/amd64 only); refuses what cannot work with a clear
     * error (unknown platform, a JDK without jmods or of another architecture, a sysroot without the loader).
     */
    public void build(Path target, String platform, Path jdk, Path sysroot, boolean train)
            throws IOException, InterruptedException {
        build(target, BundleTarget.of(platform, jdk, sysroot), train);
    }

    void build(Path target, BundleTarget to, boolean train) throws IOException, InterruptedException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(target + " already exists: give a new directory");
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path work = Files.createTempDirectory(parent, ".ward-bundle");
        try {
            Path out = work.resolve("ward");
            jlink(out, to);
            if (to.linkedHere()) {
                copyEnv(out.resolve("bin/env"));
            } else {
                copySysrootEnv(out.resolve("bin/env"), to.sysroot());
            }
            copyApp(out.resolve("app"), to.arch());
            NativeLibraries.copyAndPatch(out, to, progress);
            LaunchArgs.write(out, false);
            if (train && to.linkedHere()) {
                new AotTraining(progress, containersConf).train(out);
            } else if (train) {
                progress.step("no AOT cache: a cache serves only the architecture it was trained on (" + to.arch()
                        .platform() + " here, trained on this machine it would not be); the bundle starts without ward.aot");
            }
            Files.move(out, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IllegalArgumentException e) {
            // what the sysroot lacks or holds wrongly, found while building: a problem of the build's inputs
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
    }

    private void jlink(Path out, BundleTarget to) throws IOException {
        ToolProvider jlink = ToolProvider.findFirst("jlink").orElseThrow(() -> new IllegalStateException(
                "jlink is not available: run ward image bundle with a JDK (e.g. /usr/lib/jvm/temurin-25-jdk-amd64)"));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("--add-modules", String.join(",", MODULES), "--no-man-pages",
                "--no-header-files", "--compress=zip-6", "--output", out.toString()));
        if (to.linkedHere()) {
            args.add("--strip-debug");
        } else {
            // Another JDK's modules: a cross link. --strip-debug would run this machine's objcopy on them, which
            // cannot read another architecture's objects; the cross binutils' objcopy can, where installed.
            args.addAll(List.of("--module-path", to.jmods().toString(), "--strip-java-debug-attributes"));
            Path objcopy = Path.of("/usr/bin/" + to.arch().multiarch() + "-objcopy");
            if (Files.isExecutable(objcopy)) {
                args.add("--strip-native-debug-symbols=objcopy=" + objcopy);
            }
        }
        int rc = jlink.run(p, p, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("jlink failed (" + rc + "): " + buf.toString(StandardCharsets.UTF_8));
        }
        // A distribution's jmods may carry the native debug symbols beside the libraries (libjvm.debuginfo alone
        // is 600 MB in Debian's): this machine's objcopy cannot strip another architecture's, so they go.
        try (Stream<Path> s = Files.walk(out)) {
            for (Path f : s.filter(f -> f.getFileName().toString().endsWith(".debuginfo")).toList()) {
                Files.delete(f);
            }
        }
        // java.base brings launchers besides java (keytool): unpatched, they could not start from the bundle anyway.
        try (Stream<Path> s = Files.list(out.resolve("bin"))) {
            for (Path f : s.toList()) {
                if (!f.getFileName().toString().equals("java")) { // bin/env is added next
                    Files.delete(f);
                }
            }
        }
        progress.step("runtime linked for " + to.arch().platform() + (to.linkedHere() ? "" : " from " + to.jmods())
                + " (" + String.join(", ", MODULES) + ")");
    }

    /**
     * coreutils' env, which starts the JVM with the forwarded signals blocked (see {@link Entrypoint}): this
     * machine's, run through the bundle's loader like bin/java.
     */
    private void copyEnv(Path target) throws IOException, InterruptedException {
        Path env = Path.of("/usr/bin/env");
        if (!Files.isExecutable(env)) {
            throw new IllegalStateException("/usr/bin/env is missing: the bundle needs coreutils' env (apt-get install "
                    + "coreutils)");
        }
        try {
            Commands.run(List.of(env.toString(), "--block-signal=TERM", "true"));
        } catch (IOException e) {
            throw new IllegalStateException("/usr/bin/env does not know --block-signal: the bundle needs coreutils 8.31"
                    + " or newer (" + e.getMessage() + ")", e);
        }
        Files.copy(env.toRealPath(), target);
        Commands.setMode(target, "rwxr-xr-x");
    }

    /** The sysroot's env (coreutils'), of the bundle's architecture: it cannot run here, so its version is not checked. */
    private static void copySysrootEnv(Path target, Sysroot sysroot) throws IOException {
        Path env = sysroot.resolve("/usr/bin/env");
        if (env == null) {
            env = sysroot.resolve("/bin/env");
        }
        if (env == null) {
            throw new IllegalArgumentException("--sysroot " + sysroot.root() + ": no usr/bin/env: the bundle starts the"
                    + " JVM through coreutils' env --block-signal; unpack coreutils (8.31 or newer) of the same"
                    + " architecture into it (.ci/arm64/fetch-arm64-jdk does)");
        }
        sysroot.check(env, "--sysroot " + sysroot.root() + ": usr/bin/env");
        Files.copy(env, target);
        Commands.setMode(target, "rwxr-xr-x");
    }

    /**
     * The jars {@link AgentJars} names, taken from this JVM's class path, but those of native code for another
     * architecture (the agent's list has Netty's for both), merged into one: app/{@value AppJar#NAME} (see {@link
     * AppJar}).
     */
    private void copyApp(Path app, Arch arch) throws IOException {
        Map<String, Path> onClassPath = new TreeMap<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(e);
            if (e.endsWith(".jar") && Files.isRegularFile(p)) {
                onClassPath.putIfAbsent(p.getFileName().toString(), p);
            }
        }
        Set<String> names = new TreeSet<>(AgentJars.names(Bundle.class.getClassLoader()));
        names.removeIf(arch::foreignJar);
        List<Path> jars = new ArrayList<>();
        for (String n : names) {
            Path jar = onClassPath.get(n);
            if (jar == null) {
                throw new IllegalStateException(n + " is not on the class path: the agent needs it (rebuild: ./mvnw -pl "
                        + "ward-cli -am package)");
            }
            jars.add(jar);
        }
        Files.createDirectories(app);
        List<String> shadowed = AppJar.merge(jars, app.resolve(AppJar.NAME), arch);
        progress.step(names.size() + " jars merged into app/" + AppJar.NAME + (shadowed.isEmpty() ? ""
                : "; of resources of one name, the first jar's kept: " + String.join(", ", shadowed)));
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
