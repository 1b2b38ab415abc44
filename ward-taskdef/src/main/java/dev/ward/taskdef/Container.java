package dev.ward.taskdef;

import dev.ward.taskdef.source.JsonPath;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A container definition: every field ward check judges, ward local runs and ward inject reads. Absent fields are
 * empty; {@link #missing} tells where one belongs. Values stay as written ({@link Field}, with their place), so a
 * tool that needs a number or a boolean asks the field ({@link Field#integer()}, {@link Field#bool()}) and reports
 * it where it is; the methods below apply ECS's defaults.
 *
 * @param nameField the {@code name} field; {@link #name} is its text, or {@code #index} without one
 * @param loc       the container object's path; its place is that of the {@code name} field when there is one
 * @param wardLabel the docker label {@value #WARD_LABEL}, which {@code ward inject} sets on containers whose
 *                  embedded image starts Ward (their entry point is in the image, not in the task definition)
 */
public record Container(
        int index,
        String name,
        Optional<Field> nameField,
        Loc loc,
        Dialect dialect,
        Optional<Field> image,
        Optional<Field> user,
        Optional<Field> workingDirectory,
        Optional<Field> privileged,
        Optional<Field> readonlyRootFilesystem,
        Optional<Field> essential,
        LinuxParameters linuxParameters,
        Optional<Loc> logConfiguration,
        Optional<Field> logDriver,
        Optional<HealthCheck> healthCheck,
        List<EnvVar> environment,
        List<EnvironmentFile> environmentFiles,
        List<EnvVar> secrets,
        List<Field> entryPoint,
        List<Field> command,
        List<PortMapping> portMappings,
        List<MountPoint> mountPoints,
        List<VolumeFrom> volumesFrom,
        List<Dependency> dependsOn,
        Optional<Field> stopTimeout,
        Optional<Field> startTimeout,
        Optional<Field> memory,
        Optional<Field> wardLabel) {

    /** The docker label of containers that run an image made by {@code ward image embed}. */
    public static final String WARD_LABEL = "dev.ward.agent";

    public Container {
        environment = List.copyOf(environment);
        environmentFiles = List.copyOf(environmentFiles);
        secrets = List.copyOf(secrets);
        entryPoint = List.copyOf(entryPoint);
        command = List.copyOf(command);
        portMappings = List.copyOf(portMappings);
        mountPoints = List.copyOf(mountPoints);
        volumesFrom = List.copyOf(volumesFrom);
        dependsOn = List.copyOf(dependsOn);
    }

    /** {@code linuxParameters}: capabilities, the init process, and the parameters Fargate does not take. */
    public record LinuxParameters(List<Field> capabilitiesAdd, List<Field> capabilitiesDrop,
                                  Optional<Field> initProcessEnabled, List<Loc> notOnFargate) {
        /** What ECS calls Fargate's unsupported linuxParameters. */
        public static final List<String> NOT_ON_FARGATE = List.of("devices", "tmpfs", "sharedMemorySize", "maxSwap",
                "swappiness");
        public static final LinuxParameters NONE = new LinuxParameters(List.of(), List.of(), Optional.empty(), List.of());

        public LinuxParameters {
            capabilitiesAdd = List.copyOf(capabilitiesAdd);
            capabilitiesDrop = List.copyOf(capabilitiesDrop);
            notOnFargate = List.copyOf(notOnFargate);
        }
    }

    /**
     * A {@code healthCheck} (for Kubernetes the liveness or readiness probe, without ECS's fields): {@code command}
     * starts with {@code CMD} or {@code CMD-SHELL}; durations in seconds.
     */
    public record HealthCheck(Loc loc, List<Field> command, Optional<Field> interval, Optional<Field> timeout,
                              Optional<Field> retries, Optional<Field> startPeriod) {
        public HealthCheck {
            command = List.copyOf(command);
        }

        /** Seconds between checks: ECS's default is 30. */
        public int intervalSeconds() {
            return interval.flatMap(Field::integer).orElse(30);
        }

        /** ECS's default is 5. */
        public int timeoutSeconds() {
            return timeout.flatMap(Field::integer).orElse(5);
        }

        /** ECS's default is 3. */
        public int retryCount() {
            return retries.flatMap(Field::integer).orElse(3);
        }

        /** ECS's default is 0. */
        public int startPeriodSeconds() {
            return startPeriod.flatMap(Field::integer).orElse(0);
        }
    }

    /** An {@code environmentFiles} entry: {@code value} is the file's S3 ARN. */
    public record EnvironmentFile(Loc loc, Optional<Field> value) {
    }

    /** A {@code portMappings} entry; {@code containerPortRange} is where one is given instead of a port. */
    public record PortMapping(Loc loc, Optional<Field> containerPort, Optional<Field> hostPort,
                              Optional<Field> protocol, Optional<Loc> containerPortRange) {
        /** The protocol in lower case; ECS's default is tcp. */
        public String protocolName() {
            return protocol.flatMap(Field::literal).map(p -> p.toLowerCase(Locale.ROOT)).orElse("tcp");
        }
    }

    /** A {@code mountPoints} entry. */
    public record MountPoint(Loc loc, Optional<Field> sourceVolume, Optional<Field> containerPath,
                             Optional<Field> readOnly) {
    }

    /** A {@code volumesFrom} entry. */
    public record VolumeFrom(Loc loc, Optional<Field> sourceContainer, Optional<Field> readOnly) {
    }

    /** A {@code dependsOn} entry. */
    public record Dependency(Loc loc, Optional<Field> containerName, Optional<Field> condition) {
        /** The condition, when it is one ECS knows (the names are case-sensitive). */
        public Optional<Condition> knownCondition() {
            return condition.flatMap(Field::literal).flatMap(Condition::of);
        }
    }

    /** The {@code dependsOn} conditions ECS knows. */
    public enum Condition {
        START, COMPLETE, SUCCESS, HEALTHY;

        static Optional<Condition> of(String s) {
            for (Condition c : values()) {
                if (c.name().equals(s)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }

    public Loc missing(String camelKey) {
        String path = loc.path();
        for (String part : dialect.key(camelKey).split("\\.")) { // Kubernetes: securityContext.runAsUser
            path = JsonPath.member(path, part);
        }
        return new Loc(path, loc.pos());
    }

    /** ECS treats a container as essential unless {@code essential} is false. */
    public boolean isEssential() {
        return essential.map(f -> !f.is("false")).orElse(true);
    }

    /** {@code linuxParameters.capabilities.add}. */
    public List<Field> capabilitiesAdd() {
        return linuxParameters.capabilitiesAdd();
    }

    /** The process ECS starts: entryPoint followed by command (either may be empty: the image's then applies). */
    public List<Field> argv() {
        return Stream.concat(entryPoint.stream(), command.stream()).toList();
    }
}
