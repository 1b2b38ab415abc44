package dev.ward.local;

import dev.ward.taskdef.Container;
import dev.ward.taskdef.TaskDef;
import dev.ward.taskdef.Volume;
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

    static void check(TaskDef def, LocalOptions options, Map<String, Map<String, String>> secretValues,
            Map<String, List<Path>> envFiles) {
        List<String> problems = new ArrayList<>();
        for (Container c : def.containers()) {
            try {
                secretValues.put(c.name(), options.secrets.resolve(c));
            } catch (LocalException.BadInput e) {
                problems.add(e.getMessage());
            }
            List<Path> files = new ArrayList<>();
            int i = 0;
            for (Container.EnvironmentFile f : c.environmentFiles()) {
                String value = Values.text(f.value());
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
        for (Volume v : def.volumes()) {
            String source = Values.text(v.hostSourcePath());
            if (source != null && !Files.exists(Path.of(source))) {
                problems.add("volumes (" + v.name() + ").host.sourcePath: " + source
                        + " does not exist on this machine");
            }
        }
        if (!problems.isEmpty()) {
            throw new LocalException.BadInput(String.join("\n", problems));
        }
    }
}
