package dev.ward.image;

import dev.ward.registry.Platform;
import java.util.Locale;

/**
 * The CPU architectures Ward builds bundles and images for: the platform an image declares, the ELF machine of its
 * binaries, the glibc loader's name and the Debian multiarch directory its libraries live in.
 */
enum Arch {
    X86_64(new Platform("linux", "amd64", null), 62, "ld-linux-x86-64.so.2", "x86_64-linux-gnu"),
    AARCH64(new Platform("linux", "arm64", "v8"), 183, "ld-linux-aarch64.so.1", "aarch64-linux-gnu");

    private final Platform platform;
    private final int elfMachine;
    private final String loader;
    private final String multiarch;

    Arch(Platform platform, int elfMachine, String loader, String multiarch) {
        this.platform = platform;
        this.elfMachine = elfMachine;
        this.loader = loader;
        this.multiarch = multiarch;
    }

    /** linux/amd64 or linux/arm64 (variant v8 or none); anything else is refused, naming what is supported. */
    static Arch of(Platform p) {
        String arch = p.architecture().toLowerCase(Locale.ROOT);
        if (p.os().equals("linux") && (arch.equals("amd64") || arch.equals("x86_64")) && p.variant() == null) {
            return X86_64;
        }
        if (p.os().equals("linux") && (arch.equals("arm64") || arch.equals("aarch64"))
                && (p.variant() == null || p.variant().equals("v8"))) {
            return AARCH64;
        }
        throw new IllegalArgumentException("platform " + p + ": Ward builds the agent for linux/amd64 and linux/arm64 only");
    }

    /** Parses {@code linux/arm64} and the like (see {@link Platform#parse}), refusing unknown platforms. */
    static Arch parse(String platform) {
        return of(Platform.parse(platform));
    }

    /** The architecture whose ELF machine (e_machine) is {@code machine}, or null. */
    static Arch ofElfMachine(int machine) {
        for (Arch a : values()) {
            if (a.elfMachine == machine) {
                return a;
            }
        }
        return null;
    }

    /** What an image of this architecture declares: linux/amd64, linux/arm64/v8. */
    Platform platform() {
        return platform;
    }

    int elfMachine() {
        return elfMachine;
    }

    /** The glibc loader's file name (the ELF interpreter's last component). */
    String loader() {
        return loader;
    }

    /** Debian's multiarch directory name, under /usr/lib and /lib. */
    String multiarch() {
        return multiarch;
    }

    /**
     * How a jar of native code for this architecture ends, by the Maven classifier Netty and others use
     * ({@code netty-transport-native-epoll-4.2.18.Final-linux-aarch_64.jar}).
     */
    String jarSuffix() {
        return "-linux-" + nettyClassifier() + ".jar";
    }

    /** Whether jar {@code name} holds native code for another architecture only (a bundle leaves it out). */
    boolean foreignJar(String name) {
        for (Arch a : values()) {
            if (a != this && name.endsWith(a.jarSuffix())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether native library {@code file} (under a jar's META-INF/native/) is for another architecture only, by
     * the name Netty gives them ({@code libnetty_transport_native_epoll_aarch_64.so}).
     */
    boolean foreignNative(String file) {
        for (Arch a : values()) {
            if (a != this && file.endsWith("_" + a.nettyClassifier() + ".so")) {
                return true;
            }
        }
        return false;
    }

    /** The name os.arch and uname use: x86_64, aarch64. */
    String unameName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The architecture's name in Netty's classifiers and native library names: x86_64, aarch_64. */
    private String nettyClassifier() {
        return this == X86_64 ? "x86_64" : "aarch_64";
    }
}
