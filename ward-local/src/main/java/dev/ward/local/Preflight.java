package dev.ward.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What must hold on this machine before anything is created: every secret has a value, every environment file
 * is readable here, every host path exists. All problems are reported at once, as bad input (exit 2).
 */
final class Preflight {
    private Preflight() {
    }

    static void check(TaskDefinition def, LocalOptions options, Map<String, Map<String, String>> secretValues,
            Map<String, List<Path>> envFiles) {
        List<String> problems = new ArrayList<>();
        for (ContainerDefinition c : def.containers()) {
            try {
                secretValues.put(c.name(), options.secrets.resolve(c));
            } catch (LocalException.BadInput e) {
                problems.add(e.getMessage());
            }
            List<Path> files = new ArrayList<>();
            int i = 0;
            for (String value : c.environmentFiles()) {
                Path p = options.environmentFiles.get(value);
                if (p == null && !value.startsWith("arn:")) {
                    p = Path.of(value);
                }
                if (p == null || !Files.isReadable(p)) {
                    problems.add("container \"" + c.name() + "\": environmentFiles[" + i + "]: " + value
                            + (p == null ? " is not a local file: download it and pass --environment-file " + value + "=PATH"
                            : ": cannot read " + p));
                } else {
                    files.add(p.toAbsolutePath());
                }
                i++;
            }
            envFiles.put(c.name(), files);
        }
        for (TaskDefinition.Volume v : def.volumes()) {
            if (v.hostSourcePath() != null && !Files.exists(Path.of(v.hostSourcePath()))) {
                problems.add("volumes (" + v.name() + ").host.sourcePath: " + v.hostSourcePath()
                        + " does not exist on this machine");
            }
        }
        if (!problems.isEmpty()) {
            throw new LocalException.BadInput(String.join("\n", problems));
        }
    }
}
