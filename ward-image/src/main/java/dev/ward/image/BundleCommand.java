package dev.ward.image;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ward image bundle [--platform linux/arm64 --jdk DIR --sysroot DIR] --to DIR}. */
@Command(name = "bundle", mixinStandardHelpOptions = true,
        description = {"Build the portable agent bundle into DIR: a trimmed Java runtime, the agent, its own C "
            + "libraries and loader, an AOT cache. Mount or copy it at /ward in any image of its platform (no glibc or "
            + "shell needed) and start /ward/bin/java @/ward/ward.args run -- CMD...",
            "For linux/arm64 the runtime is cross-linked from an arm64 JDK's jmods (--jdk) with an arm64 C library "
            + "(--sysroot), and has no AOT cache (it would have to be trained on arm64); see docs/bundle.md."})
public final class BundleCommand implements Callable<Integer> {
    @Option(names = "--to", paramLabel = "DIR", description = "a new directory for the bundle (or give it as OUT)")
    Path to;

    @Parameters(arity = "0..1", paramLabel = "OUT", description = "the new directory, when --to is not given")
    Path out;

    @Option(names = "--platform", paramLabel = "OS/ARCH", defaultValue = "linux/amd64",
            description = "linux/amd64 (default: this machine's JDK and C library) or linux/arm64 (needs --jdk and --sysroot)")
    String platform;

    @Option(names = "--jdk", paramLabel = "DIR", description = "a JDK 25 home of the platform with jmods/ "
            + "(Debian's openjdk-25-jdk-headless:arm64 unpacked: usr/lib/jvm/java-25-openjdk-arm64)")
    Path jdk;

    @Option(names = "--sysroot", paramLabel = "DIR", description = "a root of the platform with glibc's loader, "
            + "libraries and usr/bin/env (libc6, libgcc-s1, zlib1g and coreutils of the platform unpacked)")
    Path sysroot;

    @Option(names = "--no-aot", description = "skip the AOT training run (needs podman and /bin/busybox)")
    boolean noAot;

    @Override
    public Integer call() throws Exception {
        if ((to == null) == (out == null)) {
            System.err.println("ward image bundle: give the bundle's new directory once, as --to DIR or OUT");
            return 2;
        }
        Path dir = to != null ? to : out;
        BundleTarget target;
        try {
            target = BundleTarget.of(platform, jdk, sysroot);
        } catch (IllegalArgumentException e) {
            System.err.println("ward image bundle: " + e.getMessage());
            return 2;
        }
        new Bundle(System.err).build(dir, target, !noAot);
        System.err.println("ward: bundle for " + target.arch().platform() + " ready in " + dir + " (mount it at "
                + Bundle.ROOT + ")");
        return 0;
    }
}
