package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.Loc;
import dev.ward.taskdef.TaskDef;
import dev.ward.taskdef.source.JsonPath;
import java.util.List;
import java.util.Optional;

/**
 * WARD-ECS-012: no logConfiguration, or one without a logDriver. Ward's agent sidecar is left alone: it only
 * exposes its volume, prints its version and exits, so there is nothing of the application's to lose.
 */
final class NoLogConfiguration extends ContainerRule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-012", "NoLogConfiguration", Severity.MEDIUM, List.of("ECS.9"),
            "No log configuration",
            "Without a logConfiguration and its logDriver, what the container writes to stdout and stderr is not kept "
                    + "anywhere you can read it on Fargate: nothing to debug with, and no record to investigate after an incident.",
            "Add logConfiguration with logDriver awslogs (options awslogs-group, awslogs-region, awslogs-stream-prefix) "
                    + "or awsfirelens, and let the execution role call logs:CreateLogStream and logs:PutLogEvents.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        if (WardProtection.agentSidecar(td, c)) {
            return; // it prints its version and exits: ward inject gives it the application's logs when there are any
        }
        if (c.logConfiguration().isEmpty()) {
            sink.report(INFO, td, c, c.missing("logConfiguration"),
                    "Container `" + c.name() + "` has no `logConfiguration`: its output is not collected.");
            return;
        }
        Optional<Field> driver = c.logDriver();
        if (driver.isPresent() && (driver.get().dynamic() || driver.get().hasText())) {
            return;
        }
        Loc lc = c.logConfiguration().get();
        Loc where = driver.map(Field::loc).orElse(new Loc(JsonPath.member(lc.path(), c.dialect().key("logDriver")), lc.pos()));
        sink.report(INFO, td, c, where, "Container `" + c.name() + "` has a `logConfiguration` without a `logDriver`.");
    }
}
