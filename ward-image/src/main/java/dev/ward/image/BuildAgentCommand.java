package dev.ward.image;

import dev.ward.api.WardVersion;
import dev.ward.registry.Platform;
import dev.ward.registry.RegistryException;
import dev.ward.registry.cli.RegistryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ward image build-agent}: the sidecar image, built without a daemon: from scratch, one layer with the
 * bundle at /ward (file modes kept, reproducible), /ward declared a VOLUME so that ECS and podman
 * {@code volumesFrom} expose it, and {@code version} as its command, so the container exits 0 once started.
 * Pushed through Ward's registry client (the registry options' credentials, trust and insecure registries), or
 * written as a docker-archive tar.
 */
@Command(name = "build-agent", mixinStandardHelpOptions = true,
        description = "Build the agent image (ward-agent): only /ward, exposed as a volume for the sidecar pattern.")
public final class BuildAgentCommand implements Callable<Integer> {
    static final class Target {
        @Option(names = "--to", paramLabel = "REF", description = "push to this registry reference")
        String to;

        @Option(names = "--to-tar", paramLabel = "FILE", description = "write a docker/podman-loadable tar")
        Path tar;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--name", paramLabel = "REF", description = "image name recorded in the tar (default: ward-agent:VERSION)")
    String name;

    @Option(names = "--bundle", paramLabel = "DIR", description = "an existing bundle (default: build one now)")
    Path bundle;

    @Mixin
    RegistryOptions registry;

    @Override
    public Integer call() throws Exception {
        Path dir = bundle;
        Path tmp = null;
        if (dir == null) {
            tmp = Files.createTempDirectory("ward-agent-image");
            dir = tmp.resolve("ward");
            new Bundle(System.err).build(dir, true);
        }
        Path work = Files.createTempDirectory("ward-agent-layer");
        try {
            String image = name != null ? name : "ward-agent:" + WardVersion.version();
            ImageBuild build = ImageBuild.scratch(Platform.LINUX_AMD64)
                    .entrypoint(List.of(Bundle.ROOT + "/bin/java", "@" + Bundle.ROOT + "/ward.args", "version"))
                    .volume(Bundle.ROOT)
                    .label("org.opencontainers.image.title", "ward-agent")
                    .label("org.opencontainers.image.version", WardVersion.version())
                    .layer(ImageLayer.of(dir, Bundle.ROOT, work.resolve("ward.tar.gz")),
                            "ward image build-agent: the agent bundle at " + Bundle.ROOT);
            String digest;
            if (target.tar != null) {
                digest = DockerArchive.write(build, target.tar, image);
            } else {
                try {
                    digest = build.push(registry.client(), target.to,
                            ProgressPrinter.forStderr("ward image build-agent"));
                } catch (RegistryException e) {
                    System.err.println("ward image build-agent: " + e.getMessage());
                    return 1;
                }
            }
            System.out.println((target.tar != null ? target.tar + " (" + image + ")" : target.to) + " " + digest);
            return 0;
        } finally {
            Bundle.deleteTree(work);
            if (tmp != null) {
                Bundle.deleteTree(tmp);
            }
        }
    }
}
