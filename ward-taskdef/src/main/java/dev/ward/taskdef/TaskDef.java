package dev.ward.taskdef;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A task definition from any source: what ward check judges, ward local runs and ward inject reads.
 *
 * @param label    the family (ECS), logical id (CloudFormation), address (terraform) or kind/name (Kubernetes)
 * @param revision the revision of describe output; register input has none
 * @param cpuArchitecture {@code runtimePlatform.cpuArchitecture} (ECS's default is X86_64)
 */
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
        List<Volume> volumes,
        Optional<Field> family,
        Optional<Field> revision,
        Optional<Field> cpu,
        Optional<Field> memory,
        Optional<Field> cpuArchitecture) implements Resource {

    public TaskDef {
        containers = List.copyOf(containers);
        volumes = List.copyOf(volumes);
    }

    /** True when runtimePlatform names a Windows family; otherwise the task is Linux (the ECS default). */
    public boolean windows() {
        return osFamily.flatMap(Field::literal).map(s -> s.toUpperCase(Locale.ROOT).startsWith("WINDOWS")).orElse(false);
    }

    /** True when the containers share one process namespace ({@code pidMode: task}). */
    public boolean sharedPid() {
        return pidMode.map(f -> f.is("task")).orElse(false);
    }

    /** The revision, 1 when there is none (register-task-definition input). */
    public int revisionNumber() {
        return revision.flatMap(Field::integer).orElse(1);
    }

    public Optional<Container> container(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public Optional<Volume> volume(String name) {
        return volumes.stream().filter(v -> v.name().equals(name)).findFirst();
    }
}
