package dev.ward.taskdef;

/** The kinds of input ward check recognises; {@link #describe()} is used in verbose output. */
public enum InputKind {
    TASK_DEFINITION("ECS task definition (register form)"),
    TASK_DEFINITION_DESCRIBED("ECS task definition (describe-task-definition output)"),
    SERVICE("ECS service (create-service input or describe-services output)"),
    CLOUDFORMATION("CloudFormation template"),
    TERRAFORM("terraform show -json output"),
    KUBERNETES("Kubernetes manifests: the pod templates, checked with the rules about containers");

    private final String description;

    InputKind(String description) {
        this.description = description;
    }

    public String describe() {
        return description;
    }
}
