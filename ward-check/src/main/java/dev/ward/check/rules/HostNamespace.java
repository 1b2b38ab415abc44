package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.TaskDef;
import java.util.Optional;
import java.util.function.Function;

/** WARD-ECS-009/010/011: a task-level namespace mode set to {@code host}. One class, three rules. */
final class HostNamespace implements Rule {
    private final RuleInfo info;
    private final String field;
    private final Function<TaskDef, Optional<Field>> read;
    private final String fargateNote;

    HostNamespace(RuleInfo info, String field, Function<TaskDef, Optional<Field>> read, String fargateNote) {
        this.info = info;
        this.field = field;
        this.read = read;
        this.fargateNote = fargateNote;
    }

    @Override
    public RuleInfo info() {
        return info;
    }

    @Override
    public void checkTask(TaskDef td, RuleContext ctx, Sink sink) {
        read.apply(td).filter(f -> f.is("host")).ifPresent(f -> sink.report(info, td, null, f.loc(),
                "Task definition `" + td.label() + "` sets `" + field + "` to host." + (td.fargate() ? " " + fargateNote : "")));
    }
}
