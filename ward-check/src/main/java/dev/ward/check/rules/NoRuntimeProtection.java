package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.TaskDef;
import java.util.List;

/**
 * WARD-ECS-024 (informational): an essential container that does not start under Ward, in none of the forms
 * {@link WardProtection} knows.
 */
final class NoRuntimeProtection extends ContainerRule {
    static final String AGENT = "ward-agent";
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-024", "NoRuntimeProtection", Severity.INFO, List.of(),
            "No Ward runtime protection",
            "Posture checks catch known misconfigurations before deployment; they don't see what runs. Ward's runtime "
                    + "protection starts the container's process under its supervisor and watches and enforces what it "
                    + "does, which works on Fargate where kernel agents cannot run.",
            "Protect the task with `ward inject` (an agent sidecar, or --mode embedded with an image made by "
                    + "`ward image embed`), or start the process through Ward yourself: an entryPoint of the Ward binary "
                    + "(a path ending in /ward) or the bundle's `/ward/bin/java @/ward/ward.args`, then `run` and the "
                    + "original command.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        if (!c.isEssential() || AGENT.equals(c.name()) || WardProtection.protects(td, c)) {
            return;
        }
        sink.report(INFO, td, c, c.loc(), "Container `" + c.name() + "` runs without Ward runtime protection.");
    }
}
