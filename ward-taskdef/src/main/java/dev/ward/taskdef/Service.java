package dev.ward.taskdef;

import java.util.List;
import java.util.Optional;

/**
 * An ECS service (create-service input, describe-services output, CloudFormation or terraform).
 *
 * @param task           its task definition, when the same input defines it (a CloudFormation {@code !Ref}, a
 *                       terraform reference or ARN); empty when it is named only by family or ARN from elsewhere
 * @param securityGroups the security groups of its awsvpcConfiguration that the same input defines; groups given by
 *                       id alone are left out (what they admit is unknown)
 */
public record Service(
        String file,
        String label,
        Loc loc,
        Dialect dialect,
        Optional<Field> assignPublicIp,
        Optional<Field> enableExecuteCommand,
        Optional<Field> platformVersion,
        Optional<Field> launchType,
        Optional<TaskDef> task,
        List<SecurityGroup> securityGroups) implements Resource {
    public Service {
        securityGroups = List.copyOf(securityGroups);
    }

    /** This service with its task definition and security groups as resolved in the input that holds it. */
    public Service linked(Optional<TaskDef> task, List<SecurityGroup> securityGroups) {
        return new Service(file, label, loc, dialect, assignPublicIp, enableExecuteCommand, platformVersion, launchType,
                task, securityGroups);
    }
}
