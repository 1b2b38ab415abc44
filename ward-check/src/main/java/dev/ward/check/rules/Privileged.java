package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.TaskDef;
import java.util.List;

/** WARD-ECS-005: {@code privileged: true}. */
final class Privileged extends ContainerRule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-005", "PrivilegedContainer", Severity.CRITICAL, List.of("ECS.4"),
            "Privileged container",
            "`privileged: true` gives the container every Linux capability and the host's devices: on EC2 that is root "
                    + "on the instance and every other task on it. Fargate does not accept privileged containers at all.",
            "Remove `privileged` (or set it to false). If one specific operation needs more rights, add only that "
                    + "capability with linuxParameters.capabilities.add.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        c.privileged().filter(f -> f.isTrue()).ifPresent(f -> sink.report(INFO, td, c, f.loc(),
                "Container `" + c.name() + "` is privileged." + (td.fargate()
                        ? " The task requires Fargate, which rejects privileged containers: registration will fail."
                        : "")));
    }
}
