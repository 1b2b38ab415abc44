package dev.ward.agent;

import dev.ward.api.WardVersion;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The agent bundle's commands besides {@code run}: what its sidecar and init containers execute. */
final class BundleCommands {
    private BundleCommands() {
    }

    /** {@code version}: the sidecar container's command (it exits 0 once its /ward volume is exposed). */
    @Command(name = "version", description = "Print the version and exit.")
    static final class Version implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println("ward " + WardVersion.version());
            return 0;
        }
    }

    /**
     * {@code install --to DIR}: copies the running bundle (the runtime's home, /ward in images) into DIR, modes
     * and links kept; a Kubernetes init container does this into an emptyDir the application mounts at /ward.
     */
    @Command(name = "install", description = "Copy this agent bundle into a directory (Kubernetes init containers).")
    static final class Install implements Callable<Integer> {
        @Option(names = "--to", required = true, paramLabel = "DIR", description = "where to copy the bundle")
        Path to;

        @Override
        public Integer call() throws IOException {
            Path from = Path.of(System.getProperty("java.home")).toRealPath();
            if (!Files.isRegularFile(from.resolve("ward.args"))) {
                System.err.println("ward install: " + from + " is not an agent bundle (no ward.args): run it from one");
                return 2;
            }
            Files.createDirectories(to);
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Path d = to.resolve(from.relativize(dir).toString());
                    Files.createDirectories(d);
                    // DIR itself is the caller's (an emptyDir the kubelet made, owned by root): an init container
                    // running as nobody may write into it but not change its mode. What is below is ours.
                    if (!dir.equals(from)) {
                        Files.setPosixFilePermissions(d, Files.getPosixFilePermissions(dir));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    return FileVisitResult.CONTINUE;
                }
            });
            System.out.println("ward: agent bundle copied to " + to);
            return 0;
        }
    }
}
