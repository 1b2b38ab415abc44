package dev.ward.podman;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The containers.conf podman runs with. Order: {@code --containers-conf FILE}, else the user's
 * {@code CONTAINERS_CONF}, else Ward's own, written to {@code ~/.cache/ward/local/containers.conf}: runc
 * (crun fails on hosts with hybrid cgroups) and default ulimits low enough for hosts whose hard limits are
 * below podman's defaults.
 *
 * <p>Shared by {@code ward local} and the bundle's AOT training run (ward-image), which is why it is not in
 * ward-local. Problems are thrown as {@link IllegalArgumentException} (a bad {@code --containers-conf}) and
 * {@link IllegalStateException} (the default cannot be written), with messages meant for the user; each tool
 * maps them to its own exit codes.
 */
public final class ContainersConf {
    static final String DEFAULT = """
            # Written by ward local; used when neither --containers-conf nor CONTAINERS_CONF is set.
            [containers]
            default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

            [engine]
            runtime = "runc"
            """;

    private ContainersConf() {}

    public static Path resolve(Path option, Map<String, String> env) {
        if (option != null) {
            if (!Files.isRegularFile(option)) {
                throw new IllegalArgumentException("--containers-conf " + option + ": no such file");
            }
            return option.toAbsolutePath();
        }
        String fromEnv = env.get("CONTAINERS_CONF");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return writeDefault(cacheDir(env));
    }

    /** Ward's per-user directory for local task state ({@code $XDG_CACHE_HOME/ward/local}). */
    public static Path cacheDir(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("ward").resolve("local");
    }

    static Path writeDefault(Path dir) {
        Path file = dir.resolve("containers.conf");
        try {
            if (Files.isRegularFile(file) && Files.readString(file).equals(DEFAULT)) {
                return file;
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "containers", ".conf.tmp");
            Files.writeString(tmp, DEFAULT, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage()
                    + " (pass --containers-conf FILE or set CONTAINERS_CONF)", e);
        }
    }
}
