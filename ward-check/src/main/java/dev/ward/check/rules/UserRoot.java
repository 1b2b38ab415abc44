package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.TaskDef;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** WARD-ECS-003: {@code user} names root (root, 0, 0:0, root:group; containeradministrator on Windows). */
final class UserRoot extends ContainerRule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-003", "ContainerRunsAsRoot", Severity.HIGH, List.of("ECS.20", "ECS.21"),
            "Container runs as root",
            "`user` is root (UID 0; containeradministrator on Windows). A process running as root can rewrite any file "
                    + "of the container, install tools, read every mounted secret, and turns any container-escape bug "
                    + "into root on the host.",
            "Set `user` to a non-root UID:GID (for example \"1000:1000\") that owns the files the application writes, "
                    + "or build the image with a non-root USER and drop the override.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    static boolean isRoot(String user, boolean windows) {
        String u = user.trim().toLowerCase(Locale.ROOT);
        if (windows) {
            return u.equals("containeradministrator");
        }
        String who = u.contains(":") ? u.substring(0, u.indexOf(':')) : u;
        return who.equals("root") || who.equals("0");
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        Optional<Field> user = c.user();
        if (user.isPresent() && user.get().hasText() && isRoot(user.get().text(), td.windows())) {
            sink.report(INFO, td, c, user.get().loc(), "Container `" + c.name() + "` runs as `" + user.get().text() + "`.");
        }
    }
}
