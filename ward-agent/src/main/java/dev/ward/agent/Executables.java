package dev.ward.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** PATH lookup as execvp(3) does it, against the workload's own PATH, so errors can name the command. */
final class Executables {
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private Executables() {
    }

    /** The absolute path to run for {@code command}, or null when not found. */
    static Path resolve(String command, Map<String, String> env, Path workDir) {
        if (command.contains("/")) {
            Path p = workDir.resolve(command).normalize();
            return Files.exists(p) ? p : null;
        }
        for (String dir : env.getOrDefault("PATH", DEFAULT_PATH).split(":", -1)) {
            Path p = (dir.isEmpty() ? workDir : workDir.resolve(dir)).resolve(command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.normalize();
            }
        }
        return null;
    }
}
