package dev.ward.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The bundle's platform options refuse what cannot work, before anything is built, saying why and what to give. */
class BundleTargetTest {
    static final Path HOST_JDK = Path.of(System.getProperty("java.home"));

    @TempDir
    Path dir;

    @Test
    void amd64WithoutJdkIsThisMachinesAndUnknownPlatformsAreRefused() throws Exception {
        assertThat(BundleTarget.of("linux/amd64", null, null)).isEqualTo(BundleTarget.host());
        assertThat(BundleTarget.host().linkedHere()).isTrue();
        assertThatThrownBy(() -> BundleTarget.of("linux/s390x", null, null))
                .hasMessage("platform linux/s390x: Ward builds the agent for linux/amd64 and linux/arm64 only");
        assertThatThrownBy(() -> BundleTarget.of("linux/arm/v7", null, null)).hasMessageContaining("linux/arm64 only");
        assertThatThrownBy(() -> BundleTarget.of("arm64", null, null))
                .hasMessageStartingWith("--platform arm64 needs --jdk DIR (an aarch64 JDK 25 with jmods) and --sysroot DIR");
        assertThatThrownBy(() -> BundleTarget.of("linux/arm64", dir, null)).hasMessageContaining("go together");
    }

    @Test
    void aJdkWithoutJmodsOrOfAnotherArchitectureIsRefused() throws Exception {
        Path sysroot = aarch64Sysroot();
        // Temurin 25 ships no jmods (it links from its own runtime image)
        assertThatThrownBy(() -> BundleTarget.of("linux/arm64", HOST_JDK, sysroot))
                .hasMessageStartingWith("--jdk " + HOST_JDK + ": no jmods/java.base.jmod: jlink needs the JDK's jmods");
        Path x86 = dir.resolve("x86-jdk");
        Files.createDirectories(x86.resolve("jmods"));
        Files.createDirectories(x86.resolve("bin"));
        Files.write(x86.resolve("jmods/java.base.jmod"), new byte[]{'J', 'M', 1, 0});
        Files.copy(HOST_JDK.resolve("bin/java"), x86.resolve("bin/java"));
        assertThatThrownBy(() -> BundleTarget.of("linux/arm64", x86, sysroot))
                .hasMessage("--jdk " + x86 + ": bin/java is x86_64, not aarch64: give a JDK of the bundle's platform"
                        + " (linux/arm64/v8)");
    }

    @Test
    void aSysrootWithoutTheLoaderOrWithAnotherArchitecturesIsRefused() throws Exception {
        Path jdk = aarch64Jdk();
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> BundleTarget.of("linux/arm64", jdk, empty))
                .hasMessageStartingWith("--sysroot " + empty + ": no ld-linux-aarch64.so.1 in usr/lib/aarch64-linux-gnu,"
                        + " lib/aarch64-linux-gnu, usr/lib, lib: give an aarch64 root with glibc");
        Path x86 = Files.createDirectories(dir.resolve("x86/usr/lib"));
        Files.copy(HOST_JDK.resolve("bin/java"), x86.resolve("ld-linux-aarch64.so.1"));
        assertThatThrownBy(() -> BundleTarget.of("linux/arm64", jdk, dir.resolve("x86")))
                .hasMessage("--sysroot " + dir.resolve("x86") + ": ld-linux-aarch64.so.1 is x86_64, not aarch64");
    }

    @Test
    void theCommandSaysWhatIsWrongAndExits2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int rc;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            rc = new CommandLine(new BundleCommand()).execute("--platform", "linux/arm64", dir.resolve("out").toString());
        } finally {
            System.setErr(saved);
        }
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("ward image bundle: --platform linux/arm64 needs --jdk");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    /** A sysroot whose loader is an aarch64 ELF header (enough for the checks, which read e_machine only). */
    private Path aarch64Sysroot() throws Exception {
        Path root = Files.createDirectories(dir.resolve("sysroot/usr/lib/aarch64-linux-gnu"));
        Files.write(root.resolve("ld-2.41.so"), elfHeader(183));
        Files.createSymbolicLink(root.resolve("ld-linux-aarch64.so.1"),
                Path.of("/usr/lib/aarch64-linux-gnu/ld-2.41.so")); // absolute: read inside the sysroot
        return dir.resolve("sysroot");
    }

    private Path aarch64Jdk() throws Exception {
        Path jdk = Files.createDirectories(dir.resolve("jdk/bin"));
        Files.createDirectories(dir.resolve("jdk/jmods"));
        Files.write(dir.resolve("jdk/jmods/java.base.jmod"), new byte[]{'J', 'M', 1, 0});
        Files.write(jdk.resolve("java"), elfHeader(183));
        return dir.resolve("jdk");
    }

    private static byte[] elfHeader(int machine) {
        byte[] h = new byte[64];
        h[0] = 0x7f;
        h[1] = 'E';
        h[2] = 'L';
        h[3] = 'F';
        h[4] = 2;
        h[5] = 1;
        h[18] = (byte) machine;
        h[19] = (byte) (machine >> 8);
        return h;
    }
}
