package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.TaskDef;
import java.util.List;

/** WARD-ECS-013: an essential container without healthCheck. */
final class NoHealthCheck extends ContainerRule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-013", "NoHealthCheck", Severity.LOW, List.of(),
            "Essential container without health check",
            "ECS replaces an essential container only when it exits. Without a healthCheck a hung or half-broken "
                    + "process keeps its place, and one that was tampered with and stopped serving goes unnoticed.",
            "Add a healthCheck whose command exercises the application, for example "
                    + "[\"CMD-SHELL\", \"curl -f http://localhost:8080/health || exit 1\"], with interval, timeout, "
                    + "retries and startPeriod that fit its start-up time.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        if (c.isEssential() && c.healthCheck().isEmpty()) {
            sink.report(INFO, td, c, c.missing("healthCheck"),
                    "Essential container `" + c.name() + "` has no `healthCheck`.");
        }
    }
}
