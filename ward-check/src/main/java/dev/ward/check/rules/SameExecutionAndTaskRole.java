package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.TaskDef;
import java.util.List;
import java.util.Optional;

/**
 * WARD-ECS-017: executionRoleArn and taskRoleArn are the same. Two identical intrinsics (the same
 * {@code !GetAtt Role.Arn}) count as the same role.
 */
final class SameExecutionAndTaskRole implements Rule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-017", "ExecutionRoleIsTaskRole", Severity.MEDIUM, List.of(),
            "Execution role is also the task role",
            "ECS uses the execution role to pull images, write logs and fetch `secrets`; the task role is what the "
                    + "application's code gets. When they are one role, the application can read every secret of the task "
                    + "definition and pull every image the agent can.",
            "Create a separate task role with only what the application needs; keep ECR, CloudWatch Logs and "
                    + "secret-reading permissions on the execution role.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void checkTask(TaskDef td, RuleContext ctx, Sink sink) {
        Optional<Field> exec = td.executionRoleArn();
        Optional<Field> task = td.taskRoleArn();
        if (exec.isEmpty() || task.isEmpty() || exec.get().text() == null || exec.get().text().isBlank()) {
            return;
        }
        if (exec.get().dynamic() == task.get().dynamic() && exec.get().text().equals(task.get().text())) {
            sink.report(INFO, td, null, task.get().loc(), "Task definition `" + td.label()
                    + "` uses `" + task.get().shown() + "` as both execution role and task role.");
        }
    }
}
