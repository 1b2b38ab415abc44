package dev.ward.image;

import dev.ward.api.Entrypoint;
import dev.ward.api.spi.AgentPlugin;
import dev.ward.podman.ContainersConf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
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
 * x86_64 image, with or without glibc or a shell.
 *
 * <pre>
 * /ward/bin/java        jlink runtime launcher; its ELF interpreter is /ward/glibc/ld-linux-x86-64.so.2
 * /ward/bin/env         coreutils' env (same loader): starts bin/java with the forwarded signals blocked
 * /ward/lib/...         the runtime (java.base, java.logging, java.naming, jdk.unsupported, jdk.crypto.ec)
 * /ward/app/*.jar       the agent and the relay plugin, with their dependencies, nothing else
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
    static final String MAIN = "dev.ward.agent.AgentMain";
    /** Libraries glibc dlopens by name (see copyGlibc), copied when the build machine has them. */
    static final List<String> DLOPENED = List.of("libnss_files.so.2", "libnss_dns.so.2", "libnss_compat.so.2",
            "libnss_hesiod.so.2", "libresolv.so.2", "libgcc_s.so.1");
    /** The agent's JVM flags: the repository launcher's for `ward run` (see ./ward). */
    static final List<String> JVM_FLAGS = List.of("-Xrs", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:CICompilerCount=1", "-Xss256k", "-Xms4m", "-Xmx64m", "-XX:ReservedCodeCacheSize=12m",
            "-XX:-UsePerfData", "-XX:TrimNativeHeapInterval=1000", "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow");

    private final PrintStream log;
    private final Path containersConf;

    public Bundle(PrintStream log) {
        this(log, null);
    }

    /** {@code containersConf}: podman's CONTAINERS_CONF for the AOT training run (null: the environment's or ward local's). */
    public Bundle(PrintStream log, Path containersConf) {
        this.log = log;
        this.containersConf = containersConf;
    }

    /** Builds the bundle into {@code target} (which must not exist), atomically: a failure leaves nothing. */
    public void build(Path target, boolean train) throws IOException, InterruptedException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(target + " already exists: give a new directory");
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path work = Files.createTempDirectory(parent, ".ward-bundle");
        try {
            Path out = work.resolve("ward");
            jlink(out);
            copyEnv(out.resolve("bin/env"));
            copyApp(out.resolve("app"));
            Path glibc = out.resolve("glibc");
            copyGlibc(out, glibc);
            patch(out);
            writeArgs(out, false);
            if (train) {
                trainAot(out);
            }
            Files.move(out, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(work);
        }
    }

    private void jlink(Path out) throws IOException {
        ToolProvider jlink = ToolProvider.findFirst("jlink").orElseThrow(() -> new IllegalStateException(
                "jlink is not available: run ward image bundle with a JDK (e.g. /usr/lib/jvm/temurin-25-jdk-amd64)"));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
        int rc = jlink.run(p, p, "--add-modules", String.join(",", MODULES), "--strip-debug", "--no-man-pages",
                "--no-header-files", "--compress=zip-6", "--output", out.toString());
        if (rc != 0) {
            throw new IllegalStateException("jlink failed (" + rc + "): " + buf.toString(StandardCharsets.UTF_8));
        }
        // java.base brings launchers besides java (keytool): unpatched, they could not start from the bundle anyway.
        try (Stream<Path> s = Files.list(out.resolve("bin"))) {
            for (Path f : s.toList()) {
                if (!f.getFileName().toString().equals("java")) { // bin/env is added next
                    Files.delete(f);
                }
            }
        }
        log.println("ward: runtime linked (" + String.join(", ", MODULES) + ")");
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
            run(List.of(env.toString(), "--block-signal=TERM", "true"));
        } catch (IOException e) {
            throw new IllegalStateException("/usr/bin/env does not know --block-signal: the bundle needs coreutils 8.31"
                    + " or newer (" + e.getMessage() + ")", e);
        }
        Files.copy(env.toRealPath(), target);
        setMode(target, "rwxr-xr-x");
    }

    /** The jars {@link AgentJars} names, taken from this JVM's class path. */
    private void copyApp(Path app) throws IOException {
        Map<String, Path> onClassPath = new TreeMap<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(e);
            if (e.endsWith(".jar") && Files.isRegularFile(p)) {
                onClassPath.putIfAbsent(p.getFileName().toString(), p);
            }
        }
        Set<String> names = AgentJars.names(Bundle.class.getClassLoader());
        Files.createDirectories(app);
        for (String n : names) {
            Path jar = onClassPath.get(n);
            if (jar == null) {
                throw new IllegalStateException(n + " is not on the class path: the agent needs it (rebuild: ./mvnw -pl "
                        + "ward-cli -am package)");
            }
            Files.copy(jar, app.resolve(n));
        }
        log.println("ward: " + names.size() + " jars in app/");
    }

    /** Every library the runtime's ELF objects need, resolved by this machine's loader, copied by soname. */
    private void copyGlibc(Path runtime, Path glibc) throws IOException, InterruptedException {
        Map<String, Path> libs = new TreeMap<>();
        Path loader = null;
        for (Path elf : elfObjects(runtime)) {
            for (String line : run(List.of("ldd", elf.toString())).split("\n")) {
                String l = line.strip();
                int arrow = l.indexOf(" => ");
                if (l.startsWith("/") && l.contains("ld-linux")) {
                    loader = Path.of(l.split(" ")[0]);
                } else if (arrow > 0) {
                    String soname = l.substring(0, arrow).strip();
                    String path = l.substring(arrow + 4).split(" ")[0];
                    if (path.startsWith("/") && !path.startsWith(runtime.toString())) {
                        libs.put(soname, Path.of(path));
                    }
                }
            }
        }
        if (loader == null) {
            throw new IllegalStateException("ldd did not name the ELF loader of " + runtime.resolve("bin/java"));
        }
        // What glibc loads by name at run time, which no NEEDED entry shows: NSS modules (the JVM looks its user up
        // at start; an image's nsswitch.conf may say compat) with libresolv, and libgcc_s (thread cancellation).
        // Found in the bundle first, they are never the image's builds of another glibc.
        Path libcDir = libs.containsKey("libc.so.6") ? libs.get("libc.so.6").toRealPath().getParent() : null;
        for (String name : DLOPENED) {
            Path lib = libcDir == null ? null : libcDir.resolve(name);
            if (lib != null && Files.isRegularFile(lib) && !libs.containsKey(name)) {
                libs.put(name, lib);
            }
        }
        Files.createDirectories(glibc);
        Files.copy(loader.toRealPath(), glibc.resolve("ld-linux-x86-64.so.2"));
        for (Map.Entry<String, Path> e : libs.entrySet()) {
            Files.copy(e.getValue().toRealPath(), glibc.resolve(e.getKey()));
        }
        try (Stream<Path> s = Files.list(glibc)) {
            s.forEach(f -> setMode(f, "rwxr-xr-x"));
        }
        log.println("ward: C libraries in glibc/: ld-linux-x86-64.so.2, " + String.join(", ", libs.keySet()));
    }

    /**
     * bin/java starts through the bundled loader; every object looks in /ward/glibc before anywhere else. DT_RPATH,
     * not DT_RUNPATH: the loader searches RUNPATH only after LD_LIBRARY_PATH, so an image that sets LD_LIBRARY_PATH
     * (its environment is the agent's) would hand the agent its own libc; RPATH comes first, and the executable's
     * RPATH also covers what libc itself loads later (dlopen of libgcc_s, NSS modules).
     */
    private void patch(Path runtime) throws IOException, InterruptedException {
        String glibc = ROOT + "/glibc";
        // The launcher, and the JDK's helper executables (jspawnhelper starts child JVMs: the AOT cache is
        // assembled by one).
        for (Path exe : List.of(runtime.resolve("bin/java"), runtime.resolve("bin/env"), runtime.resolve("lib/jspawnhelper"),
                runtime.resolve("lib/jexec"))) {
            if (Files.isRegularFile(exe)) {
                run(List.of("patchelf", "--set-interpreter", glibc + "/ld-linux-x86-64.so.2", "--force-rpath", "--set-rpath",
                        glibc + ":$ORIGIN/../lib", exe.toString()));
            }
        }
        for (Path elf : elfObjects(runtime)) {
            if (elf.getFileName().toString().endsWith(".so")) {
                run(List.of("patchelf", "--force-rpath", "--set-rpath", glibc + ":$ORIGIN:$ORIGIN/..", elf.toString()));
            }
        }
    }

    private static void writeArgs(Path runtime, boolean aot) throws IOException {
        List<String> lines = new ArrayList<>(JVM_FLAGS);
        lines.add("-D" + Entrypoint.PLUGINS_PROPERTY + "=" + String.join(",", plugins(runtime.resolve("app"))));
        if (aot) {
            lines.add("-XX:AOTCache=" + ROOT + "/ward.aot");
            lines.add("-Xlog:aot=off");
            lines.add("-Xlog:cds=off");
        }
        lines.add("-cp");
        lines.add(ROOT + "/app/*");
        lines.add(MAIN);
        Files.writeString(runtime.resolve("ward.args"), String.join("\n", lines) + "\n");
    }

    /**
     * One supervised run with the bundle mounted at /ward (a container of a throwaway root holding only busybox),
     * recording the classes it loads into /ward/ward.aot. Skipped, with a note, where podman is not available.
     */
    private void trainAot(Path runtime) throws IOException, InterruptedException {
        Path busybox = Path.of("/bin/busybox");
        if (run(List.of("sh", "-c", "command -v podman || true")).isBlank() || !Files.isExecutable(busybox)) {
            log.println("ward: no podman or /bin/busybox here: the bundle has no AOT cache (it starts slower)");
            return;
        }
        Path rootfs = Files.createTempDirectory("ward-train-root");
        try {
            Files.createDirectories(rootfs.resolve("bin"));
            Files.createDirectories(rootfs.resolve("ward"));
            Files.createDirectories(rootfs.resolve("tmp"));
            Files.copy(busybox, rootfs.resolve("bin/busybox"));
            Files.writeString(rootfs.resolve("train.yaml"), """
                    apiVersion: security.kubearmor.com/v1
                    kind: KubeArmorPolicy
                    metadata: {name: train}
                    spec:
                      selector: {matchLabels: {kubearmor.io/container.name: train}}
                      file: {matchPaths: [{path: /nonexistent/ward-train}]}
                      action: Block
                    """);
            List<String> cmd = new ArrayList<>(List.of("podman", "run", "--rm", "--network=none", "-v",
                    runtime + ":" + ROOT, "--rootfs", rootfs.toString()));
            cmd.addAll(PREFIX.subList(0, PREFIX.size() - 2)); // env: trained as it runs
            cmd.addAll(List.of(ROOT + "/bin/java", "-XX:AOTCacheOutput=" + ROOT + "/ward.aot", "-Xlog:aot=off",
                    "-Xlog:cds=off", "@" + ROOT + "/ward.args", "run", "--container-name", "train", "--policy",
                    "/train.yaml", "--log-filter", "all", "--output", "/tmp/t.json", "--", "/bin/busybox", "cat",
                    "/nonexistent/ward-train"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("CONTAINERS_CONF",
                    ContainersConf.resolve(containersConf, System.getenv()).toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            if (!Files.isRegularFile(runtime.resolve("ward.aot"))) {
                log.println("ward: the AOT training run did not write a cache (continuing without): " + out.strip());
                return;
            }
            writeArgs(runtime, true);
            log.println("ward: AOT cache trained (" + Files.size(runtime.resolve("ward.aot")) / 1024 + " KiB)");
        } finally {
            deleteTree(rootfs);
        }
    }

    /**
     * The agent plugins the app jars declare (their service entries), named in ward.args so that the agent does
     * not search every jar for them at each start.
     */
    static List<String> plugins(Path app) throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> jars = Files.list(app)) {
            for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).sorted().toList()) {
                try (java.util.jar.JarFile f = new java.util.jar.JarFile(jar.toFile())) {
                    java.util.jar.JarEntry e = f.getJarEntry("META-INF/services/" + AgentPlugin.class.getName());
                    if (e == null) {
                        continue;
                    }
                    try (InputStream in = f.getInputStream(e)) {
                        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                            String n = line.replaceFirst("#.*", "").strip();
                            if (!n.isEmpty()) {
                                names.add(n);
                            }
                        }
                    }
                }
            }
        }
        return List.copyOf(names);
    }

    private static List<Path> elfObjects(Path runtime) throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(runtime.resolve("bin/java"));
        out.add(runtime.resolve("bin/env"));
        try (Stream<Path> s = Files.walk(runtime.resolve("lib"))) {
            s.filter(f -> f.getFileName().toString().endsWith(".so") && Files.isRegularFile(f)).sorted().forEach(out::add);
        }
        return out;
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip()
                    + (cmd.get(0).equals("patchelf") ? " (apt-get install patchelf)" : ""));
        }
        return out;
    }

    private static void setMode(Path f, String mode) {
        try {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
