package dev.ward.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a bundle is built for and from: this machine (linux/amd64, the running JDK's own modules and this machine's
 * glibc), or another architecture, cross-linked from that architecture's JDK (its jmods) with the C library of a
 * sysroot.
 *
 * @param arch    the architecture the bundle runs on
 * @param jdk     a JDK home of {@code arch} with jmods/, or null for the running JDK
 * @param sysroot the root to take the loader, libraries and env from, or null for this machine's
 */
record BundleTarget(Arch arch, Path jdk, Sysroot sysroot) {
    static final String WHERE = "see docs/bundle.md, or run .ci/arm64/fetch-arm64-jdk";

    /** linux/amd64 from the running JDK and this machine's C library: the default. */
    static BundleTarget host() {
        return new BundleTarget(Arch.X86_64, null, null);
    }

    /** The target for {@code --platform}, {@code --jdk}, {@code --sysroot}, checked: clear errors for what cannot work. */
    static BundleTarget of(String platform, Path jdk, Path sysroot) throws IOException {
        Arch arch = Arch.parse(platform);
        if (jdk == null && sysroot == null) {
            if (arch != Arch.X86_64) {
                throw new IllegalArgumentException("--platform " + platform + " needs --jdk DIR (an " + arch.unameName()
                        + " JDK 25 with jmods) and --sysroot DIR (an " + arch.unameName() + " root with glibc): " + WHERE);
            }
            return host();
        }
        if (jdk == null || sysroot == null) {
            throw new IllegalArgumentException("--jdk and --sysroot go together: a cross-linked runtime needs both");
        }
        checkJdk(jdk, arch);
        return new BundleTarget(arch, jdk.toAbsolutePath().normalize(), Sysroot.open(sysroot, arch));
    }

    /** True when the bundle is linked from the running JDK for this machine (and can be trained here). */
    boolean linkedHere() {
        return jdk == null;
    }

    Path jmods() {
        return jdk.resolve("jmods");
    }

    /** The JDK must have jmods (java.base's at least) of {@code arch}: bin/java's ELF machine, else the jmod's. */
    private static void checkJdk(Path jdk, Arch arch) throws IOException {
        Path base = jdk.resolve("jmods/java.base.jmod");
        if (!Files.isDirectory(jdk)) {
            throw new IllegalArgumentException("--jdk " + jdk + ": not a directory");
        }
        if (!Files.isRegularFile(base)) {
            throw new IllegalArgumentException("--jdk " + jdk + ": no jmods/java.base.jmod: jlink needs the JDK's jmods"
                    + " (Debian's openjdk-25-jdk-headless:" + arch.platform().architecture() + " has them in "
                    + "usr/lib/jvm/java-25-openjdk-" + arch.platform().architecture() + "); " + WHERE);
        }
        Path java = jdk.resolve("bin/java");
        int machine;
        String what;
        if (Files.isRegularFile(java)) {
            what = "--jdk " + jdk + ": bin/java";
            machine = Elf.machine(java, what);
        } else {
            what = "--jdk " + jdk + ": jmods/java.base.jmod's bin/java";
            machine = Elf.machine(jmodLauncher(base, what), what);
        }
        if (machine != arch.elfMachine()) {
            throw new IllegalArgumentException(what + " is " + Elf.describe(machine) + ", not " + arch.unameName()
                    + ": give a JDK of the bundle's platform (" + arch.platform() + ")");
        }
    }

    /** The first 20 bytes of the launcher inside a jmod (a zip with a 4-byte header, which ZipFile skips). */
    private static byte[] jmodLauncher(Path jmod, String what) throws IOException {
        try (ZipFile z = new ZipFile(jmod.toFile())) {
            ZipEntry e = z.getEntry("bin/java");
            if (e == null) {
                throw new IllegalArgumentException(what + ": the jmod has no bin/java to tell its architecture by");
            }
            try (InputStream in = z.getInputStream(e)) {
                return in.readNBytes(20);
            }
        }
    }
}
