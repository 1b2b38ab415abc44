package dev.ward.image;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ward image bundle --to DIR}. */
@Command(name = "bundle", mixinStandardHelpOptions = true,
        description = {"Build the portable agent bundle into DIR: a trimmed Java runtime, the agent, its own C "
            + "libraries and loader, an AOT cache. Mount or copy it at /ward in any x86_64 image (no glibc or "
            + "shell needed) and start /ward/bin/java @/ward/ward.args run -- CMD..."})
public final class BundleCommand implements Callable<Integer> {
    @Option(names = "--to", required = true, paramLabel = "DIR", description = "a new directory for the bundle")
    Path to;

    @Option(names = "--no-aot", description = "skip the AOT training run (needs podman and /bin/busybox)")
    boolean noAot;

    @Override
    public Integer call() throws Exception {
        new Bundle(System.err).build(to, !noAot);
        System.err.println("ward: bundle ready in " + to + " (mount it at " + Bundle.ROOT + ")");
        return 0;
    }
}
