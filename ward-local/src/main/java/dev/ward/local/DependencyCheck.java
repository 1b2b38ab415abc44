package dev.ward.local;

import dev.ward.local.ContainerStatus.State;
import dev.ward.taskdef.Container.Condition;
import dev.ward.taskdef.Container.Dependency;
import dev.ward.taskdef.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a pending container may start: its {@code dependsOn} conditions against the other containers'
 * states. Pure; the caller holds the task's lock.
 */
final class DependencyCheck {
    /** ECS on Fargate waits this long for dependencies when a container has no startTimeout. */
    static final int DEFAULT_START_TIMEOUT = 180;

    /** READY: start it; WAITING: not yet ({@code text} says for what); IMPOSSIBLE: never ({@code text} says why). */
    record Verdict(Kind kind, String text) {
        enum Kind { READY, WAITING, IMPOSSIBLE }
    }

    private DependencyCheck() {}

    static Verdict check(ContainerRun run, Map<String, ContainerRun> runs, Instant now) {
        List<String> waiting = new ArrayList<>();
        for (Dependency d : run.def.dependsOn()) {
            String depName = Values.text(d.containerName());
            Condition condition = d.knownCondition().orElseThrow();
            ContainerRun dep = runs.get(depName);
            String why = "container " + run.def.name() + " cannot start: it depends on " + dep.def.name() + " ("
                    + condition + "), which ";
            if (dep.state == State.NEVER_STARTED) {
                return impossible(why + "never started");
            }
            boolean met = switch (condition) {
                case START -> dep.started();
                case COMPLETE -> dep.state == State.STOPPED;
                case SUCCESS -> {
                    if (dep.state == State.STOPPED && (dep.exitCode == null || dep.exitCode != 0)) {
                        yield false;
                    }
                    yield dep.state == State.STOPPED;
                }
                case HEALTHY -> dep.state == State.RUNNING && "healthy".equals(dep.health);
            };
            if (!met && condition == Condition.SUCCESS && dep.state == State.STOPPED) {
                return impossible(why + "exited with code " + dep.exitCode);
            }
            if (!met && condition == Condition.HEALTHY && dep.state == State.STOPPED) {
                return impossible(why + "stopped (exit code " + dep.exitCode + ") before it was healthy");
            }
            if (!met) {
                waiting.add(depName + " " + condition);
            }
        }
        if (waiting.isEmpty()) {
            return new Verdict(Verdict.Kind.READY, "");
        }
        int timeout = run.def.startTimeout().flatMap(Field::integer).orElse(DEFAULT_START_TIMEOUT);
        if (run.waitingSince != null && Duration.between(run.waitingSince, now).toSeconds() >= timeout) {
            return impossible("container " + run.def.name() + " cannot start: its dependencies were not met within its "
                    + "startTimeout of " + timeout + " s (waiting for " + String.join(", ", waiting) + ")");
        }
        return new Verdict(Verdict.Kind.WAITING, String.join(", ", waiting));
    }

    private static Verdict impossible(String text) {
        return new Verdict(Verdict.Kind.IMPOSSIBLE, text);
    }
}
