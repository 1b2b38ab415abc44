package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.check.model.Container;
import dev.ward.check.model.Field;
import dev.ward.check.model.TaskDef;
import java.util.List;

/**
 * WARD-ECS-024 (informational): an essential container that does not start under Ward. A container is
 * protected when its entryPoint (or, without one, its command) starts with a path ending in {@code /ward}
 * followed by {@code run}, or when the task has a {@code ward-agent} container and this container mounts
 * it with volumesFrom.
 */
final class NoRuntimeProtection extends ContainerRule {
    static final String AGENT = "ward-agent";
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-024", "NoRuntimeProtection", Severity.INFO, List.of(),
            "No Ward runtime protection",
            "Posture checks catch known misconfigurations before deployment; they don't see what runs. Ward's runtime "
                    + "protection starts the container's process under its supervisor and watches and enforces what it "
                    + "does, which works on Fargate where kernel agents cannot run.",
            "Start the process through Ward: an entryPoint whose first element is the Ward binary (a path ending in "
                    + "/ward) followed by `run` and the original command, or a `ward-agent` sidecar container that this "
                    + "container mounts with volumesFrom.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        if (!c.isEssential() || AGENT.equals(c.name())) {
            return;
        }
        if (startsWithWardRun(c.entryPoint().isEmpty() ? c.command() : c.entryPoint()) || mountsAgent(td, c)) {
            return;
        }
        sink.report(INFO, td, c, c.loc(), "Container `" + c.name() + "` runs without Ward runtime protection.");
    }

    static boolean startsWithWardRun(List<Field> argv) {
        return argv.size() >= 2 && argv.get(0).hasText() && argv.get(0).text().endsWith("/ward") && argv.get(1).is("run");
    }

    private static boolean mountsAgent(TaskDef td, Container c) {
        boolean agent = td.containers().stream().anyMatch(o -> AGENT.equals(o.name()));
        return agent && c.volumesFrom().stream().anyMatch(f -> f.is(AGENT));
    }
}
