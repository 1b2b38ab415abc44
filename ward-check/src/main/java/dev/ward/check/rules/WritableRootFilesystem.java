package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.TaskDef;
import java.util.List;
import java.util.Optional;

/** WARD-ECS-006: {@code readonlyRootFilesystem} is not true (Linux only: Windows containers don't support it). */
final class WritableRootFilesystem extends ContainerRule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-006", "WritableRootFilesystem", Severity.MEDIUM, List.of("ECS.5"),
            "Root filesystem is writable",
            "Unless `readonlyRootFilesystem` is true, a compromised process can drop tools, replace binaries and hide "
                    + "in the container's filesystem. A read-only root keeps the image as it was built.",
            "Set `readonlyRootFilesystem: true` and give the paths the application writes to (/tmp, caches, uploads) "
                    + "their own task volumes through mountPoints.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        if (td.windows()) {
            return;
        }
        Optional<Field> ro = c.readonlyRootFilesystem();
        if (ro.isPresent() && (ro.get().dynamic() || ro.get().isTrue())) {
            return;
        }
        String how = ro.map(f -> "sets `readonlyRootFilesystem` to " + f.shown()).orElse("does not set `readonlyRootFilesystem`");
        sink.report(INFO, td, c, ro.map(Field::loc).orElse(c.missing("readonlyRootFilesystem")),
                "Container `" + c.name() + "` " + how + ", so its root filesystem is writable.");
    }
}
