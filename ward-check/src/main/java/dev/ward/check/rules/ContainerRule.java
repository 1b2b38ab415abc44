package dev.ward.check.rules;

import dev.ward.taskdef.Container;
import dev.ward.taskdef.TaskDef;

/** A rule that looks at one container at a time. */
abstract class ContainerRule implements Rule {
    @Override
    public final void checkTask(TaskDef td, RuleContext ctx, Sink sink) {
        for (Container c : td.containers()) {
            checkContainer(td, c, ctx, sink);
        }
    }

    abstract void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink);
}
