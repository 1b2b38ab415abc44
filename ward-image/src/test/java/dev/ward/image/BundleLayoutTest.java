package dev.ward.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the bundle holds, read from its files: every ELF object starts through the bundled loader and finds
 * every library it needs inside the bundle (DT_RPATH, which the loader searches before LD_LIBRARY_PATH), the
 * runtime has only the modules the agent needs, app/ has the agent's jars, merged into one, and none of the CLI's, and the
 * argfile carries the agent's JVM flags and the AOT cache.
 */
@Timeout(900)
@Tag("container")
class BundleLayoutTest {
    static Path ward;

    @BeforeAll
    static void build() throws Exception {
        ward = TestBundle.get();
    }

    @Test
    void everyElfObjectLoadsOnlyFromTheBundle() throws Exception {
        assertThat(readelf("-l", ward.resolve("bin/java"))).contains("[Requesting program interpreter: /ward/glibc/ld-linux-x86-64.so.2]");
        Set<String> provided = new TreeSet<>();
        List<Path> elves = new ArrayList<>();
        for (Path f : TestBundle.files(ward)) {
            if (isElf(f)) {
                elves.add(f);
                provided.add(f.getFileName().toString());
            }
        }
        assertThat(provided).contains("java", "libjvm.so", "libc.so.6", "ld-linux-x86-64.so.2", "libm.so.6");
        // what glibc dlopens by name (no NEEDED entry names it), when this machine has it
        for (String lib : Bundle.DLOPENED) {
            if (Files.isRegularFile(Path.of("/usr/lib/x86_64-linux-gnu", lib))) {
                assertThat(ward.resolve("glibc").resolve(lib)).isRegularFile();
            }
        }
        for (Path elf : elves) {
            String dyn = readelf("-d", elf);
            for (String line : dyn.split("\n")) {
                if (line.contains("(NEEDED)")) {
                    String lib = line.substring(line.indexOf('[') + 1, line.indexOf(']'));
                    assertThat(provided).as(ward.relativize(elf) + " needs " + lib).contains(lib);
                }
            }
            boolean glibc = elf.getParent().getFileName().toString().equals("glibc");
            if (!glibc && (elf.toString().endsWith(".so") || Files.isExecutable(elf))) {
                assertThat(dyn).as(ward.relativize(elf).toString()).doesNotContain("(RUNPATH)")
                        .containsPattern("\\(RPATH\\) +Library rpath: \\[/ward/glibc:");
            }
        }
    }

    @Test
    void theRuntimeHasOnlyTheAgentsModules() throws Exception {
        String release = Files.readString(ward.resolve("release"));
        String modules = release.lines().filter(l -> l.startsWith("MODULES=")).findFirst().orElseThrow();
        // java.security.sasl comes with java.naming (grpc's DNS resolution).
        assertThat(modules.substring(9, modules.length() - 1).split(" ")).containsExactlyInAnyOrder("java.base",
                "java.logging", "java.naming", "java.security.sasl", "jdk.crypto.ec", "jdk.unsupported");
        try (var bin = Files.list(ward.resolve("bin"))) {
            assertThat(bin.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("java", "env");
        }
        assertThat(ward.resolve("include")).doesNotExist();
        assertThat(ward.resolve("man")).doesNotExist();
    }

    @Test
    void appHoldsTheAgentAndItsRelayPluginOnlyInOneJar() throws Exception {
        try (var s = Files.list(ward.resolve("app"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly(AppJar.NAME);
        }
        Set<String> entries = entries(ward.resolve("app").resolve(AppJar.NAME));
        assertThat(entries).contains("dev/ward/agent/AgentMain.class", "dev/ward/relay/client/RelayPlugin.class",
                "picocli/CommandLine.class", "org/snakeyaml/engine/v2/api/Load.class",
                "META-INF/services/dev.ward.api.spi.AgentPlugin", "META-INF/io.netty.versions.properties");
        assertThat(entries).as("the CLI's and the relay's jars stay out").noneMatch(e -> e.startsWith("org/sqlite/")
                || e.startsWith("dev/ward/check/") || e.startsWith("dev/ward/local/") || e.startsWith("dev/ward/cli/")
                || e.startsWith("com/google/cloud/tools/jib/") || e.startsWith("org/postgresql/")
                || e.startsWith("io/grpc/netty/"));
        assertThat(entries).as("no module descriptors or signatures").noneMatch(e -> e.endsWith("module-info.class")
                || e.matches("META-INF/[^/]+\\.(SF|RSA|DSA)"));
        assertThat(entries).as("the mesh's native code, of this bundle's architecture only")
                .contains("META-INF/native/libnetty_transport_native_epoll_x86_64.so",
                        "META-INF/native/libnetty_tcnative_linux_x86_64.so")
                .noneMatch(e -> e.endsWith("_aarch_64.so"));
    }

    @Test
    void theArgfileStartsTheAgentWithItsFlagsAndTheAotCache() throws Exception {
        List<String> args = Files.readAllLines(ward.resolve("ward.args"));
        assertThat(args).startsWith("-Xrs").contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m",
                "--enable-native-access=ALL-UNNAMED", "-XX:AOTCache=/ward/ward.aot", "-cp", "/ward/app/*",
                // the plugins by name: the agent does not read service files for them at each start
                "-Dward.plugins=dev.ward.relay.client.RelayPlugin",
                // its own exit once its outputs are closed; the training run's (ward.exit=jvm) is gone
                "-Dward.exit=direct").doesNotContain("-Dward.exit=jvm");
        assertThat(args.getLast()).isEqualTo("dev.ward.agent.AgentMain");
        // the entrypoint's env, run by the bundle's own loader
        assertThat(ward.resolve("bin/env")).isExecutable();
        assertThat(Bundle.PREFIX.getFirst()).isEqualTo("/ward/bin/env");
        assertThat(ward.resolve("ward.aot")).isRegularFile();
        assertThat(Files.size(ward.resolve("ward.aot"))).isGreaterThan(1 << 20);
    }

    @Test
    void everythingIsWorldReadableAndExecutablesStayExecutable() throws Exception {
        for (Path f : TestBundle.files(ward)) {
            assertThat(Files.getPosixFilePermissions(f)).as(f.toString()).contains(PosixFilePermission.OTHERS_READ);
        }
        for (String exe : List.of("bin/java", "glibc/ld-linux-x86-64.so.2", "lib/jspawnhelper")) {
            assertThat(Files.getPosixFilePermissions(ward.resolve(exe))).as(exe)
                    .contains(PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OWNER_EXECUTE);
        }
    }

    /** The names of the entries of jar {@code jar}. */
    static Set<String> entries(Path jar) throws Exception {
        try (java.util.jar.JarFile f = new java.util.jar.JarFile(jar.toFile())) {
            return new TreeSet<>(f.stream().map(java.util.zip.ZipEntry::getName).toList());
        }
    }

    private static boolean isElf(Path f) throws Exception {
        if (Files.size(f) < 4) {
            return false;
        }
        try (var in = Files.newInputStream(f)) {
            byte[] m = in.readNBytes(4);
            return m[0] == 0x7f && m[1] == 'E' && m[2] == 'L' && m[3] == 'F';
        }
    }

    static String readelf(String opt, Path f) throws Exception {
        Process p = new ProcessBuilder("readelf", "-W", opt, f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("readelf " + opt + " " + f + ": " + out).isZero();
        return out;
    }
}
