package dev.ward.image;

import dev.ward.api.WardVersion;
import dev.ward.registry.RegistryException;
import dev.ward.registry.cli.RegistryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * written as a docker-archive tar. With several platforms ({@code --platform linux/amd64,linux/arm64}), one image
 * each under a multi-platform index.
 */
@Command(name = "build-agent", mixinStandardHelpOptions = true,
        description = "Build the agent image (ward-agent): only /ward, exposed as a volume for the sidecar pattern.")
public final class BuildAgentCommand implements Callable<Integer> {
    static final class Target {
        @Option(names = "--to", paramLabel = "REF", description = "push to this registry reference")
        String to;

        @Option(names = "--to-tar", paramLabel = "FILE", description = "write a docker/podman-loadable tar (one platform)")
        Path tar;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--name", paramLabel = "REF", description = "image name recorded in the tar (default: ward-agent:VERSION)")
    String name;

    @Option(names = "--platform", paramLabel = "OS/ARCH[,...]", split = ",", defaultValue = "linux/amd64",
            description = "linux/amd64 (default), linux/arm64, or both (an index with one image each)")
    List<String> platforms;

    @Option(names = "--bundle", paramLabel = "[OS/ARCH=]DIR", description = "an existing bundle (default: build one "
            + "now); with several platforms, one per platform as linux/arm64=DIR (repeatable)")
    List<String> bundles = new ArrayList<>();

    @Option(names = "--jdk", paramLabel = "DIR", description = "for an arm64 bundle built now: an arm64 JDK 25 with jmods")
    Path jdk;

    @Option(names = "--sysroot", paramLabel = "DIR", description = "for an arm64 bundle built now: an arm64 root with glibc")
    Path sysroot;

    @Mixin
    RegistryOptions registry;

    @Override
    public Integer call() throws Exception {
        Map<Arch, Path> given = new LinkedHashMap<>();
        List<Arch> archs = new ArrayList<>();
        try {
            for (String p : platforms) {
                Arch a = Arch.parse(p);
                if (archs.contains(a)) {
                    throw new IllegalArgumentException("--platform names " + a.platform() + " twice");
                }
                archs.add(a);
            }
            if (target.tar != null && archs.size() > 1) {
                throw new IllegalArgumentException("--to-tar holds one platform: push several with --to REF");
            }
            for (String b : bundles) {
                int eq = b.indexOf('=');
                Arch a = eq > 0 ? Arch.parse(b.substring(0, eq)) : archs.size() == 1 ? archs.getFirst() : null;
                if (a == null || !archs.contains(a)) {
                    throw new IllegalArgumentException("--bundle " + b + ": say which of the platforms (" + platforms
                            + ") it is for, as OS/ARCH=DIR");
                }
                Path dir = Path.of(eq > 0 ? b.substring(eq + 1) : b);
                AgentImage.expect(dir, a, "--bundle " + b);
                given.put(a, dir);
            }
            for (Arch a : archs) {
                if (!given.containsKey(a)) {
                    targetFor(a); // checked now: nothing is built when one of them cannot be
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("ward image build-agent: " + e.getMessage());
            return 2;
        }
        Path tmp = Files.createTempDirectory("ward-agent-image");
        try {
            Map<Arch, ImageBuild> images = new LinkedHashMap<>();
            for (Arch a : archs) {
                Path dir = given.get(a);
                if (dir == null) {
                    dir = tmp.resolve(a.unameName()).resolve("ward");
                    Files.createDirectories(dir.getParent());
                    new Bundle(System.err).build(dir, targetFor(a), true);
                }
                images.put(a, AgentImage.of(dir, a, tmp));
            }
            String image = name != null ? name : "ward-agent:" + WardVersion.version();
            String digest;
            if (target.tar != null) {
                digest = DockerArchive.write(images.values().iterator().next(), target.tar, image);
            } else {
                try {
                    digest = AgentImage.push(registry.client(), target.to, images,
                            ProgressPrinter.forStderr("ward image build-agent"));
                } catch (RegistryException e) {
                    System.err.println("ward image build-agent: " + e.getMessage());
                    return 1;
                }
            }
            System.out.println((target.tar != null ? target.tar + " (" + image + ")" : target.to) + " " + digest);
            if (images.size() > 1) {
                System.err.println("ward image build-agent: an index of " + images.keySet().stream()
                        .map(a -> a.platform().toString()).toList() + (images.containsKey(Arch.AARCH64)
                        ? "; the arm64 image has no AOT cache (not trained on arm64): its agent starts somewhat slower" : ""));
            }
            return 0;
        } finally {
            Bundle.deleteTree(tmp);
        }
    }

    /** amd64 from this machine, another architecture cross-linked from --jdk and --sysroot. */
    private BundleTarget targetFor(Arch a) throws java.io.IOException {
        return a == Arch.X86_64 ? BundleTarget.host() : BundleTarget.of(a.platform().toString(), jdk, sysroot);
    }
}
