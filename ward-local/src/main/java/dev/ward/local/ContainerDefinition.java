package dev.ward.local;

import java.util.List;
import java.util.Map;

/**
 * One entry of {@code containerDefinitions}, reduced to what {@code ward local} runs. Lists and maps are
 * never null; absent optional values are null.
 */
public record ContainerDefinition(
        String name,
        String image,
        List<String> entryPoint,
        List<String> command,
        Map<String, String> environment,
        List<String> environmentFiles,
        List<Secret> secrets,
        String user,
        String workingDirectory,
        List<PortMapping> portMappings,
        List<MountPoint> mountPoints,
        List<VolumeFrom> volumesFrom,
        List<Dependency> dependsOn,
        boolean essential,
        HealthCheck healthCheck,
        List<String> capabilitiesAdd,
        List<String> capabilitiesDrop,
        boolean initProcessEnabled,
        boolean readonlyRootFilesystem,
        Integer stopTimeout,
        Integer startTimeout,
        Integer memory) {

    /** A {@code secrets} entry: the variable {@code name} gets the value of {@code valueFrom}. */
    public record Secret(String name, String valueFrom) {}

    /** A {@code portMappings} entry (awsvpc: the host port is the container port unless told otherwise). */
    public record PortMapping(int containerPort, Integer hostPort, String protocol) {}

    /** A {@code mountPoints} entry. */
    public record MountPoint(String sourceVolume, String containerPath, boolean readOnly) {}

    /** A {@code volumesFrom} entry. */
    public record VolumeFrom(String sourceContainer, boolean readOnly) {}

    /** A {@code dependsOn} entry. */
    public record Dependency(String containerName, Condition condition) {}

    /** The {@code dependsOn} conditions ECS knows. */
    public enum Condition { START, COMPLETE, SUCCESS, HEALTHY }

    /**
     * A {@code healthCheck}: {@code command} starts with {@code CMD} or {@code CMD-SHELL}; durations in
     * seconds, ECS defaults applied (interval 30, timeout 5, retries 3, startPeriod 0).
     */
    public record HealthCheck(List<String> command, int interval, int timeout, int retries, int startPeriod) {}
}
