package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.EnvVar;
import dev.ward.taskdef.TaskDef;
import java.util.List;
import java.util.Locale;

/**
 * WARD-ECS-019: AWS keys handed to the container through {@code secrets}. Keys in plain
 * {@code environment} are already WARD-ECS-001/002 findings.
 */
final class StaticAwsKeys extends ContainerRule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-019", "StaticAwsKeys", Severity.HIGH, List.of(),
            "Long-lived AWS access keys injected into the container",
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are an IAM user's long-lived keys: they don't expire, work "
                    + "from anywhere and outlive the task. Fetching them from Secrets Manager or Parameter Store keeps "
                    + "them out of the task definition, not out of the hands of whoever compromises the application.",
            "Give the task a task role (taskRoleArn) with the permissions the keys had, remove the key variables, and "
                    + "deactivate the IAM user's keys.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        for (EnvVar s : c.secrets()) {
            s.literalName().map(n -> n.toUpperCase(Locale.ROOT)).filter(Secrets.AWS_KEY_NAMES::contains).ifPresent(n ->
                    sink.report(INFO, td, c, s.name().loc(), "Container `" + c.name() + "` receives `" + s.name().text()
                            + "` from `secrets`: static AWS keys instead of a task role."));
        }
    }
}
