package dev.ward.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import dev.ward.api.WardVersion;
import dev.ward.registry.cli.RegistryOptions;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ward image build-agent}: the sidecar image, built with Jib (no daemon): from scratch, one layer with the
 * bundle at /ward (file modes kept), /ward declared a VOLUME so that ECS and podman {@code volumesFrom} expose it,
 * and {@code version} as its command, so the container exits 0 once started.
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
        try {
            AbsoluteUnixPath root = AbsoluteUnixPath.get(Bundle.ROOT);
            String image = name != null ? name : "ward-agent:" + WardVersion.version();
            var builder = Jib.fromScratch().addFileEntriesLayer(layer(dir))
                    .setVolumes(Set.of(root))
                    .setEntrypoint(List.of(Bundle.ROOT + "/bin/java", "@" + Bundle.ROOT + "/ward.args", "version"))
                    .addLabel("org.opencontainers.image.title", "ward-agent")
                    .addLabel("org.opencontainers.image.version", WardVersion.version());
            Containerizer c;
            if (target.tar != null) {
                c = Containerizer.to(TarImage.at(target.tar.toAbsolutePath()).named(image));
            } else {
                c = Containerizer.to(JibTargets.image(registry.client(), target.to))
                        .setAllowInsecureRegistries(registry.insecure(target.to));
            }
            JibContainer built;
            try {
                built = builder.containerize(c.setToolName("ward"));
            } catch (com.google.cloud.tools.jib.api.RegistryUnauthorizedException e) {
                System.err.println("ward image build-agent: " + JibTargets.unauthorized(target.to, e));
                return 1;
            }
            System.out.println((target.tar != null ? target.tar + " (" + image + ")" : target.to) + " "
                    + built.getDigest());
            return 0;
        } finally {
            if (tmp != null) {
                Bundle.deleteTree(tmp);
            }
        }
    }

    /** The bundle in {@code dir} as an image layer at /ward, file modes kept, timestamps fixed (reproducible). */
    static FileEntriesLayer layer(Path dir) throws java.io.IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("ward");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted().forEach(files::add);
        }
        AbsoluteUnixPath root = AbsoluteUnixPath.get(Bundle.ROOT);
        for (Path f : files) {
            if (f.equals(dir)) {
                continue;
            }
            AbsoluteUnixPath in = root.resolve(dir.relativize(f).toString());
            Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(f,
                    LinkOption.NOFOLLOW_LINKS);
            layer.addEntry(f, in, FilePermissions.fromPosixFilePermissions(perms), Instant.EPOCH);
        }
        return layer.build();
    }
}
