package dev.ward.taskdef;

import java.util.Optional;

/** An ECS service (create-service input, describe-services output, CloudFormation or terraform). */
public record Service(
        String file,
        String label,
        Loc loc,
        Dialect dialect,
        Optional<Field> assignPublicIp,
        Optional<Field> enableExecuteCommand,
        Optional<Field> platformVersion,
        Optional<Field> launchType) implements Resource {
}
