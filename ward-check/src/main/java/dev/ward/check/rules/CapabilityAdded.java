package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.TaskDef;
import java.util.List;

/** WARD-ECS-007: a capability other than SYS_PTRACE in linuxParameters.capabilities.add. */
final class CapabilityAdded extends ContainerRule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-007", "CapabilityAdded", Severity.HIGH, List.of(),
            "Linux capability added",
            "Capabilities beyond Docker's default set widen what a compromised process can do to the kernel, the "
                    + "network and other processes (NET_ADMIN, SYS_ADMIN, ALL...). On Fargate the only capability that "
                    + "may be added is SYS_PTRACE; anything else fails registration there.",
            "Remove the capability from linuxParameters.capabilities.add. Do privileged work at build time or in a "
                    + "short-lived init container instead of the serving container.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        for (Field cap : c.capabilitiesAdd()) {
            if (!cap.hasText() || Capabilities.normalize(cap).equals(Capabilities.SYS_PTRACE)) {
                continue;
            }
            sink.report(INFO, td, c, cap.loc(), "Container `" + c.name() + "` adds the capability `" + cap.text() + "`."
                    + (td.fargate() ? " The task requires Fargate, which accepts only SYS_PTRACE: registration will fail." : ""));
        }
    }
}
