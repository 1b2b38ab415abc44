package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.EnvVar;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.TaskDef;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * WARD-ECS-018: no task role, while the containers carry AWS_* variables (in environment or secrets),
 * the sign that the application calls AWS APIs. Without such a hint a missing task role is fine: the
 * application then has no AWS permissions at all, which is what least privilege wants.
 */
final class NoTaskRole implements Rule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-018", "NoTaskRole", Severity.MEDIUM, List.of(),
            "No task role although the application uses AWS",
            "The containers carry AWS_* variables, so the application calls AWS APIs, but taskRoleArn is missing or "
                    + "empty. Without a task role the application needs static keys (or has no credentials); with one "
                    + "it gets short-lived credentials that rotate by themselves.",
            "Create an IAM role that ecs-tasks.amazonaws.com can assume, with the permissions the application needs, "
                    + "set it as taskRoleArn, and remove static AWS keys from the containers.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void checkTask(TaskDef td, RuleContext ctx, Sink sink) {
        Optional<Field> role = td.taskRoleArn();
        if (role.isPresent() && (role.get().dynamic() || role.get().hasText())) {
            return;
        }
        Set<String> hints = new LinkedHashSet<>();
        for (Container c : td.containers()) {
            for (List<EnvVar> vars : List.of(c.environment(), c.secrets())) {
                for (EnvVar v : vars) {
                    v.literalName().filter(n -> n.toUpperCase(Locale.ROOT).startsWith("AWS_")).ifPresent(hints::add);
                }
            }
        }
        if (hints.isEmpty()) {
            return;
        }
        String state = role.isPresent() ? "an empty `taskRoleArn`" : "no `taskRoleArn`";
        sink.report(INFO, td, null, role.map(Field::loc).orElse(td.missing("taskRoleArn")), "Task definition `"
                + td.label() + "` has " + state + ", but its containers use " + String.join(", ", hints)
                + ": the application talks to AWS without a role of its own.");
    }
}
