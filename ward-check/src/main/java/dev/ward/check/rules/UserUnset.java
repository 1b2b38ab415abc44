package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.Loc;
import dev.ward.taskdef.TaskDef;
import java.util.List;
import java.util.Optional;

/** WARD-ECS-004: no {@code user}, so the image's USER applies, which Ward can't see. */
final class UserUnset extends ContainerRule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-004", "ContainerUserNotSet", Severity.MEDIUM, List.of("ECS.20", "ECS.21"),
            "No user set: the image decides, usually root",
            "Without `user` the container runs as the image's USER, and most images never set one, so they run as "
                    + "root. Ward cannot tell from the task definition: the image's USER lives in its configuration in "
                    + "the registry.",
            "Set `user` to a non-root UID:GID. To see what the image uses today: "
                    + "`docker image inspect --format '{{.Config.User}}' IMAGE` (empty means root); if it is non-root, "
                    + "write the same value into the task definition so the intent is visible and checked.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        Optional<Field> user = c.user();
        if (user.isPresent() && (user.get().dynamic() || user.get().hasText())) {
            return;
        }
        Loc where = user.map(Field::loc).orElse(c.missing("user"));
        String image = c.image().filter(Field::hasText).map(f -> " (`" + f.text() + "`)").orElse("");
        sink.report(INFO, td, c, where, "Container `" + c.name() + "` sets no `user`, so it runs as the image's USER"
                + image + ": root unless the image says otherwise. Ward can't see the image's USER from here; it lives "
                + "in the image's configuration in the registry.");
    }
}
