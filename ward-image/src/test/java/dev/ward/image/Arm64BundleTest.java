package dev.ward.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The linux/arm64 bundle, cross-linked here from Debian's arm64 JDK with Debian's arm64 C library, read from its
 * files: every ELF object is aarch64 and starts through the bundled aarch64 loader, every NEEDED entry is
 * provided inside the bundle (not by this machine), no native debug symbols came along, and there is no AOT
 * cache (it would have to be trained on arm64). That it runs is shown in the arm64 VM (.ci/arm64/bundle-smoke).
 */
@Timeout(600)
@Tag("process")
class Arm64BundleTest {
    static Path ward;

    @BeforeAll
    static void build() throws Exception {
        ward = TestBundle.arm64();
    }

    @Test
    void everyElfObjectIsAarch64AndLoadsOnlyFromTheBundle() throws Exception {
        assertThat(BundleLayoutTest.readelf("-l", ward.resolve("bin/java")))
                .contains("[Requesting program interpreter: /ward/glibc/ld-linux-aarch64.so.1]");
        Set<String> provided = new TreeSet<>();
        List<Path> elves = new ArrayList<>();
        for (Path f : TestBundle.files(ward)) {
            if (Elf.is(f)) {
                elves.add(f);
                provided.add(f.getFileName().toString());
                assertThat(Elf.machine(f, f.toString())).as(ward.relativize(f) + " e_machine").isEqualTo(183);
            }
        }
        assertThat(provided).contains("java", "env", "libjvm.so", "libc.so.6", "ld-linux-aarch64.so.1", "libm.so.6");
        for (Path elf : elves) {
            for (String lib : needed(elf)) {
                assertThat(provided).as(ward.relativize(elf) + " needs " + lib).contains(lib);
            }
            if (!elf.getParent().getFileName().toString().equals("glibc")) {
                assertThat(BundleLayoutTest.readelf("-d", elf)).as(ward.relativize(elf).toString())
                        .containsPattern("\\(RPATH\\) +Library rpath: \\[/ward/glibc:");
            }
        }
        assertThat(BundleLayoutTest.readelf("-l", ward.resolve("bin/env")))
                .contains("[Requesting program interpreter: /ward/glibc/ld-linux-aarch64.so.1]");
    }

    @Test
    void appHoldsNettysNativeCodeForAarch64Only() throws Exception {
        Set<String> entries = BundleLayoutTest.entries(ward.resolve("app").resolve(AppJar.NAME));
        assertThat(entries).contains("META-INF/native/libnetty_transport_native_epoll_aarch_64.so",
                "META-INF/native/libnetty_tcnative_linux_aarch_64.so").noneMatch(e -> e.endsWith("_x86_64.so"));
    }

    @Test
    void noAotCacheAndNoDebugSymbols() throws Exception {
        assertThat(ward.resolve("ward.aot")).doesNotExist();
        List<String> args = Files.readAllLines(ward.resolve("ward.args"));
        assertThat(args).noneMatch(a -> a.startsWith("-XX:AOTCache")).contains("-cp", "/ward/app/*");
        assertThat(args.getLast()).isEqualTo("dev.ward.agent.AgentMain");
        assertThat(TestBundle.files(ward)).noneMatch(f -> f.toString().endsWith(".debuginfo"));
        long bytes = 0;
        for (Path f : TestBundle.files(ward)) {
            bytes += Files.size(f);
        }
        assertThat(bytes).as("bundle size").isLessThan(150L << 20);
        String release = Files.readString(ward.resolve("release"));
        assertThat(release).contains("JAVA_VERSION=\"25.");
    }

    private static List<String> needed(Path elf) throws Exception {
        Process p = new ProcessBuilder("patchelf", "--print-needed", elf.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
