package dev.ward.taskdef;

import java.util.Map;

/**
 * How a source spells field names. Lookups ignore case (see {@code ObjNode.get}); the dialect only
 * decides how to spell the path of a field that is missing, so a finding says where to add it.
 */
public enum Dialect {
    /** The ECS API: register-task-definition, describe-task-definition, create-service; camelCase. */
    ECS,
    /** AWS::ECS::TaskDefinition / AWS::ECS::Service properties: PascalCase. */
    CLOUDFORMATION,
    /** terraform's aws_ecs_task_definition / aws_ecs_service attributes: snake_case. */
    TERRAFORM,
    /** Kubernetes pod specs (see {@code KubernetesReader}): ECS's fields have other names and places there. */
    KUBERNETES;

    /** CloudFormation names that are not just the ECS name capitalised. */
    private static final Map<String, String> CFN_SPECIAL = Map.of("efsVolumeConfiguration", "EFSVolumeConfiguration");
    /** terraform names that are not just the ECS name in snake case. */
    private static final Map<String, String> TF_SPECIAL = Map.of("volumes", "volume");

    /** Where Kubernetes keeps what ECS calls so (a dotted path below the container). */
    private static final Map<String, String> K8S = Map.of("user", "securityContext.runAsUser",
            "readonlyRootFilesystem", "securityContext.readOnlyRootFilesystem", "privileged", "securityContext.privileged",
            "healthCheck", "livenessProbe", "entryPoint", "command", "command", "args", "environment", "env");

    /** Spells the ECS API field {@code camel} in this dialect. */
    public String key(String camel) {
        return switch (this) {
            case ECS -> camel;
            case CLOUDFORMATION -> CFN_SPECIAL.getOrDefault(camel,
                    Character.toUpperCase(camel.charAt(0)) + camel.substring(1));
            case TERRAFORM -> TF_SPECIAL.getOrDefault(camel, snake(camel));
            case KUBERNETES -> K8S.getOrDefault(camel, camel);
        };
    }

    static String snake(String camel) {
        StringBuilder b = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append('_').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
