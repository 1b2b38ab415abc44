package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.TaskDef;
import java.util.List;

/**
 * WARD-ECS-008: SYS_PTRACE added; allowed on Fargate, but only worth its risk when something needs it. Ward is such
 * a thing: in a container that starts under Ward ({@link WardProtection}) the capability is what Ward's agent uses
 * to read the memory of workload processes that switch to another user (nginx workers), and is not reported.
 */
final class SysPtraceAdded extends ContainerRule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-008", "SysPtraceAdded", Severity.LOW, List.of(),
            "SYS_PTRACE added",
            "SYS_PTRACE lets a process read and change the memory of processes it did not start, within the "
                    + "container (or the whole task with pidMode task): a way to lift credentials out of the "
                    + "application's memory. Debuggers and agents that attach to existing processes need it; a "
                    + "supervisor that starts the workload as its own child, as `ward run` does, needs it only to "
                    + "follow workload processes that change user: `ward inject` adds it to root containers for that, "
                    + "and this rule leaves it alone in containers that start under Ward.",
            "Remove SYS_PTRACE unless a debugger or an attaching agent in this container needs it. If one does, "
                    + "record why with a suppression in .ward-check.yaml.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        if (WardProtection.protects(td, c)) {
            return;
        }
        for (Field cap : c.capabilitiesAdd()) {
            if (cap.hasText() && Capabilities.normalize(cap).equals(Capabilities.SYS_PTRACE)) {
                sink.report(INFO, td, c, cap.loc(), "Container `" + c.name() + "` adds SYS_PTRACE. Ward can't tell "
                        + "whether anything in the image needs it; if nothing attaches to other processes, remove it.");
            }
        }
    }
}
