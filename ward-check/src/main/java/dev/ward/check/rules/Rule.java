package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.taskdef.Service;
import dev.ward.taskdef.TaskDef;

/**
 * A posture check. A rule looks at task definitions, services or both and reports through a {@link Sink};
 * it keeps no state between calls.
 */
public interface Rule {
    RuleInfo info();

    default void checkTask(TaskDef td, RuleContext ctx, Sink sink) {
    }

    default void checkService(Service s, RuleContext ctx, Sink sink) {
    }
}
