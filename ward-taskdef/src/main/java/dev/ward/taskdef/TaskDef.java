package dev.ward.taskdef;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A task definition from any source, with the fields the rules read. */
public record TaskDef(
        String file,
        String label,
        Loc loc,
        Dialect dialect,
        Optional<Field> networkMode,
        Optional<Field> pidMode,
        Optional<Field> ipcMode,
        Optional<Field> executionRoleArn,
        Optional<Field> taskRoleArn,
        Optional<Field> osFamily,
        boolean fargate,
        List<Container> containers,
        List<Volume> volumes) implements Resource {

    public TaskDef {
        containers = List.copyOf(containers);
        volumes = List.copyOf(volumes);
    }

    /** True when runtimePlatform names a Windows family; otherwise the task is Linux (the ECS default). */
    public boolean windows() {
        return osFamily.flatMap(Field::literal).map(s -> s.toUpperCase(Locale.ROOT).startsWith("WINDOWS")).orElse(false);
    }
}
