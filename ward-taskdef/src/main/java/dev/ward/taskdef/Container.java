package dev.ward.taskdef;

import dev.ward.taskdef.source.JsonPath;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A container definition, with the fields the rules read. Absent fields are empty; {@link #missing}
 * tells where one belongs.
 *
 * @param loc       the container object's path; its place is that of the {@code name} field when there is one
 * @param wardLabel the docker label {@value #WARD_LABEL}, which {@code ward inject} sets on containers whose
 *                  embedded image starts Ward (their entry point is in the image, not in the task definition)
 */
public record Container(
        int index,
        String name,
        Loc loc,
        Dialect dialect,
        Optional<Field> image,
        Optional<Field> user,
        Optional<Field> privileged,
        Optional<Field> readonlyRootFilesystem,
        Optional<Field> essential,
        List<Field> capabilitiesAdd,
        Optional<Loc> logConfiguration,
        Optional<Field> logDriver,
        Optional<Loc> healthCheck,
        List<EnvVar> environment,
        List<EnvVar> secrets,
        List<Field> entryPoint,
        List<Field> command,
        List<Field> volumesFrom,
        Optional<Field> wardLabel) {

    /** The docker label of containers that run an image made by {@code ward image embed}. */
    public static final String WARD_LABEL = "dev.ward.agent";

    public Container {
        capabilitiesAdd = List.copyOf(capabilitiesAdd);
        environment = List.copyOf(environment);
        secrets = List.copyOf(secrets);
        entryPoint = List.copyOf(entryPoint);
        command = List.copyOf(command);
        volumesFrom = List.copyOf(volumesFrom);
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

    /** The process ECS starts: entryPoint followed by command (either may be empty: the image's then applies). */
    public List<Field> argv() {
        return Stream.concat(entryPoint.stream(), command.stream()).toList();
    }
}
