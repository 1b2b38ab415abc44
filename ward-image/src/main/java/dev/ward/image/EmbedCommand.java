package dev.ward.image;

import dev.ward.api.Entrypoint;
import dev.ward.api.StopSignal;
import dev.ward.registry.ImageConfig;
import dev.ward.registry.Platform;
import dev.ward.registry.PlatformMismatchException;
import dev.ward.registry.RegistryClient;
import dev.ward.registry.RegistryException;
import dev.ward.registry.cli.RegistryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ward image embed --from APP --to APP-WARD}: the embedded pattern without a Dockerfile or a daemon. The
 * bundle at /ward is layered over the application image (whose layers are mounted or copied, never unpacked) and
 * the entry point becomes the agent followed by the image's own ENTRYPOINT while its CMD stays CMD, so a command
 * given at run time replaces the CMD as it would in the original image; user, environment and working directory
 * stay the image's, so a non-root image runs its agent as that user. Pulled and pushed through Ward's registry
 * client.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Make a protected copy of an application image: /ward layered on top, entry point = Ward + the original.")
public final class EmbedCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "IMAGE", description = "the application image")
    String from;

    @Option(names = "--to", required = true, paramLabel = "IMAGE", description = "where to push the protected image")
    String to;

    @Option(names = "--platform", paramLabel = "OS/ARCH", description = "platform of the application image to embed "
            + "into: linux/amd64 or linux/arm64 (default: the image's own; of an index, linux/amd64 when it has it)")
    String platform;

    @Option(names = "--bundle", paramLabel = "DIR", description = "an existing bundle of that platform (default: build one now)")
    Path bundle;

    @Option(names = "--jdk", paramLabel = "DIR", description = "for an arm64 bundle built now: an arm64 JDK 25 with jmods")
    Path jdk;

    @Option(names = "--sysroot", paramLabel = "DIR", description = "for an arm64 bundle built now: an arm64 root with glibc")
    Path sysroot;

    @Mixin
    RegistryOptions registry;

    @Override
    public Integer call() throws Exception {
        RegistryClient client = registry.client();
        Platform p;
        Arch arch;
        BundleTarget bundleTarget = null;
        try {
            p = platform != null ? Platform.parse(platform) : EmbedPlatform.of(client, from);
            arch = Arch.of(p);
            if (bundle != null) {
                AgentImage.expect(bundle, arch, from + (platform != null ? " for --platform " + platform : ""));
            } else {
                bundleTarget = BundleTarget.of(p.toString(), jdk, sysroot);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("ward image embed: " + e.getMessage());
            return 2;
        }
        ImageConfig config;
        try {
            config = client.config(from, p);
        } catch (PlatformMismatchException e) {
            System.err.println("ward image embed: " + e.getMessage() + " (--platform picks another)");
            return 2;
        }
        List<String> argv = new ArrayList<>(config.entrypoint());
        argv.addAll(config.cmd());
        if (argv.isEmpty()) {
            System.err.println("ward image embed: " + from + " sets no ENTRYPOINT or CMD: nothing to start under Ward");
            return 2;
        }
        if (Entrypoint.startsAgent(argv)) {
            System.err.println("ward image embed: " + from + " already starts the Ward agent (" + String.join(" ", argv)
                    + "): embed into the original image instead");
            return 2;
        }
        if (bundle != null && !Files.isExecutable(bundle.resolve("bin/env"))) {
            System.err.println("ward image embed: " + bundle + " has no bin/env: it was built by an older Ward; "
                    + "rebuild it with ward image bundle");
            return 2;
        }
        List<String> entry = new ArrayList<>(Bundle.PREFIX);
        entry.add("run");
        // The new image leaves STOPSIGNAL unset, so the runtime sends SIGTERM: the agent turns it into the image's
        // signal (the workload gets what it expects whether or not the runtime honours STOPSIGNAL).
        String stopSignal = config.stopSignal();
        int stopNumber = stopSignal == null ? StopSignal.SIGTERM : StopSignal.number(stopSignal);
        boolean translates = stopNumber > 0 && stopNumber != StopSignal.SIGTERM;
        if (translates) {
            entry.add("--stop-signal");
            entry.add(StopSignal.name(stopNumber));
        }
        entry.add("--");
        // Ward + the image's ENTRYPOINT; its CMD stays CMD, so that `podman run IMAGE other command` (or a task's
        // command) replaces it as it would in the application's own image.
        entry.addAll(config.entrypoint());
        Path dir = bundle;
        Path tmp = null;
        if (dir == null) {
            tmp = Files.createTempDirectory("ward-embed");
            dir = tmp.resolve("ward");
            new Bundle(System.err).build(dir, bundleTarget, true);
        }
        try {
            Path work = Files.createTempDirectory("ward-embed-layer");
            String digest;
            try {
                ImageBuild build = ImageBuild.on(client.image(from, p))
                        .entrypoint(entry).cmd(config.cmd()).without("StopSignal")
                        .layer(ImageLayer.of(dir, Bundle.ROOT, work.resolve("ward.tar.gz")),
                                "ward image embed: the agent bundle at " + Bundle.ROOT);
                digest = build.push(client, to, ProgressPrinter.forStderr("ward image embed"));
            } catch (RegistryException e) {
                System.err.println("ward image embed: " + e.getMessage());
                return 1;
            } finally {
                Bundle.deleteTree(work);
            }
            System.out.println(to + "@" + digest);
            System.err.println("ward image embed: entry point " + entry + ", command " + config.cmd()
                    + (config.user() != null && !config.user().isBlank()
                    ? "; runs as user " + config.user() + " (the agent too)" : ""));
            if (translates) {
                System.err.println("ward image embed: " + from + " stops with " + stopSignal + ", which the new image"
                        + " does not record: the agent forwards SIGTERM to the workload as " + stopSignal);
            }
            return 0;
        } finally {
            if (tmp != null) {
                Bundle.deleteTree(tmp);
            }
        }
    }
}
