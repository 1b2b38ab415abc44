package dev.ward.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.local.ContainerStatus.State;
import dev.ward.local.DependencyCheck.Verdict.Kind;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.TaskDef;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependencyCheckTest {
    private final TaskDef def = TaskDefinitionReader.parse(null, """
            {"family": "f", "containerDefinitions": [
              {"name": "app", "image": "i", "startTimeout": 10, "dependsOn": [
                {"containerName": "init", "condition": "SUCCESS"}, {"containerName": "db", "condition": "HEALTHY"},
                {"containerName": "side", "condition": "START"}, {"containerName": "job", "condition": "COMPLETE"}]},
              {"name": "init", "image": "i", "essential": false},
              {"name": "db", "image": "i", "healthCheck": {"command": ["CMD-SHELL", "true"]}},
              {"name": "side", "image": "i"}, {"name": "job", "image": "i", "essential": false}]}""");
    private final Map<String, ContainerRun> runs = new LinkedHashMap<>();
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    DependencyCheckTest() {
        for (Container c : def.containers()) {
            runs.put(c.name(), new ContainerRun(c, c.name(), c.name()));
        }
        runs.get("app").waitingSince = t0;
    }

    private DependencyCheck.Verdict check() {
        return DependencyCheck.check(runs.get("app"), runs, t0.plusSeconds(1));
    }

    private void exited(String name, int code) {
        runs.get(name).state = State.STOPPED;
        runs.get(name).exitCode = code;
    }

    @Test
    void waitsUntilEveryConditionHolds() {
        assertThat(check()).isEqualTo(new DependencyCheck.Verdict(Kind.WAITING, "init SUCCESS, db HEALTHY, side START, job COMPLETE"));
        exited("init", 0);
        runs.get("side").state = State.RUNNING;
        exited("job", 3);
        runs.get("db").state = State.RUNNING;
        assertThat(check()).isEqualTo(new DependencyCheck.Verdict(Kind.WAITING, "db HEALTHY"));
        runs.get("db").health = "unhealthy";
        assertThat(check().kind()).isEqualTo(Kind.WAITING);
        runs.get("db").health = "healthy";
        assertThat(check().kind()).isEqualTo(Kind.READY);
    }

    @Test
    void impossibleConditions() {
        exited("init", 2);
        assertThat(check()).isEqualTo(new DependencyCheck.Verdict(Kind.IMPOSSIBLE,
                "container app cannot start: it depends on init (SUCCESS), which exited with code 2"));
        exited("init", 0);
        exited("db", 1);
        assertThat(check().text()).isEqualTo("container app cannot start: it depends on db (HEALTHY), which stopped (exit code 1) before it was healthy");
        runs.get("db").state = State.NEVER_STARTED;
        assertThat(check().text()).endsWith("which never started");
    }

    @Test
    void startTimeout() {
        assertThat(DependencyCheck.check(runs.get("app"), runs, t0.plusSeconds(10)).text())
                .startsWith("container app cannot start: its dependencies were not met within its startTimeout of 10 s (waiting for init SUCCESS");
    }
}
