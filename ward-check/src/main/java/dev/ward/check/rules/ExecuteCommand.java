package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Service;
import java.util.List;

/** WARD-ECS-022: ECS Exec enabled; an audit finding, not a misconfiguration by itself. */
final class ExecuteCommand implements Rule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-022", "ExecuteCommandEnabled", Severity.LOW, List.of(),
            "ECS Exec is enabled",
            "enableExecuteCommand lets anyone allowed ecs:ExecuteCommand open a shell in the running containers: handy "
                    + "for debugging, and an interactive way in that bypasses the deployment pipeline.",
            "Turn it off outside debugging sessions, restrict ecs:ExecuteCommand in IAM to the people and containers "
                    + "that need it, and log the sessions (the cluster's executeCommandConfiguration).");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void checkService(Service s, RuleContext ctx, Sink sink) {
        s.enableExecuteCommand().filter(f -> f.isTrue()).ifPresent(f -> sink.report(INFO, s, null, f.loc(),
                "Service `" + s.label() + "` enables ECS Exec: make sure sessions are restricted and logged."));
    }
}
