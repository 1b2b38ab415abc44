package dev.ward.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An ECS task definition as {@code ward local} runs it, read by {@link TaskDefinitionReader}.
 *
 * @param source the file it came from (for messages), or null
 * @param revision the revision, 1 when the file has none (register-task-definition input)
 */
public record TaskDefinition(
        Path source,
        String family,
        int revision,
        String cpu,
        String memory,
        String pidMode,
        List<Volume> volumes,
        List<ContainerDefinition> containers) {

    /** A task {@code volumes} entry: a host path (bind mount) or, without one, a per-task volume. */
    public record Volume(String name, String hostSourcePath) {}

    public Optional<ContainerDefinition> container(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public Optional<Volume> volume(String name) {
        return volumes.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** True when the containers share one process namespace ({@code pidMode: task}). */
    public boolean sharedPid() {
        return "task".equals(pidMode);
    }
}
