package dev.ward.image;

import dev.ward.api.Entrypoint;
import dev.ward.api.StopSignal;
import dev.ward.registry.ImageConfig;
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

    @Option(names = "--platform", paramLabel = "OS/ARCH", defaultValue = "linux/amd64",
            description = "platform of the application image to embed into (default: ${DEFAULT-VALUE}; the bundle is x86_64)")
    String platform;

    @Option(names = "--bundle", paramLabel = "DIR", description = "an existing bundle (default: build one now)")
    Path bundle;

    @Mixin
    RegistryOptions registry;

    @Override
    public Integer call() throws Exception {
        dev.ward.registry.Platform p = dev.ward.registry.Platform.parse(platform);
        if (!p.architecture().equals("amd64")) {
            System.err.println("ward image embed: the agent bundle is x86_64 only; " + platform + " is not supported yet");
            return 2;
        }
        RegistryClient client = registry.client();
        ImageConfig config = client.config(from, p);
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
            new Bundle(System.err).build(dir, true);
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
