package dev.ward.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.ward.taskdef.Container;
import dev.ward.taskdef.Container.Condition;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.TaskDef;
import dev.ward.taskdef.Volume;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskDefinitionReaderTest {
    private static TaskDef parse(String json) {
        return TaskDefinitionReader.parse(Path.of("task.json"), json);
    }

    private static void rejects(String json, String... messages) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(LocalException.BadInput.class).hasMessageContainingAll(messages);
    }

    @Test
    void readsDescribeOutputAndAppliesEcsDefaults() {
        TaskDef def = parse("""
                {"taskDefinition": {"family": "web", "revision": 7, "cpu": "256", "memory": "512", "pidMode": "task",
                  "volumes": [{"name": "data"}, {"name": "host", "host": {"sourcePath": "/srv"}}],
                  "containerDefinitions": [
                    {"name": "app", "image": "nginx", "entryPoint": ["/ep"], "command": ["a", "b"],
                     "environment": [{"name": "A", "value": "1"}], "user": "1000:1000", "workingDirectory": "/w",
                     "portMappings": [{"containerPort": 80}], "mountPoints": [{"sourceVolume": "data", "containerPath": "/d"}],
                     "dependsOn": [{"containerName": "side", "condition": "HEALTHY"}],
                     "linuxParameters": {"capabilities": {"add": ["SYS_PTRACE"], "drop": ["NET_RAW"]}, "initProcessEnabled": true},
                     "readonlyRootFilesystem": true, "stopTimeout": 10},
                    {"name": "side", "image": "busybox", "essential": false,
                     "healthCheck": {"command": ["CMD-SHELL", "true"]}}]}}
                """);
        assertThat(def.label()).isEqualTo("web");
        assertThat(def.revisionNumber()).isEqualTo(7);
        assertThat(def.sharedPid()).isTrue();
        assertThat(def.volumes()).extracting(Volume::name, v -> Values.text(v.hostSourcePath()))
                .containsExactly(tuple("data", null), tuple("host", "/srv"));
        Container app = def.container("app").orElseThrow();
        assertThat(app.isEssential()).isTrue();
        assertThat(Values.strings(app.entryPoint())).containsExactly("/ep");
        assertThat(Values.strings(app.command())).containsExactly("a", "b");
        assertThat(Values.environment(app)).containsEntry("A", "1");
        assertThat(app.portMappings()).extracting(p -> Values.number(p.containerPort()), p -> Values.number(p.hostPort()),
                Container.PortMapping::protocolName).containsExactly(tuple(80, null, "tcp"));
        assertThat(app.dependsOn()).extracting(d -> Values.text(d.containerName()), d -> d.knownCondition().orElseThrow())
                .containsExactly(tuple("side", Condition.HEALTHY));
        assertThat(Values.strings(app.capabilitiesAdd())).containsExactly("SYS_PTRACE");
        assertThat(Values.flag(app.linuxParameters().initProcessEnabled(), false)).isTrue();
        assertThat(Values.number(app.stopTimeout())).isEqualTo(10);
        Container side = def.container("side").orElseThrow();
        assertThat(side.isEssential()).isFalse();
        Container.HealthCheck h = side.healthCheck().orElseThrow();
        assertThat(Values.strings(h.command())).containsExactly("CMD-SHELL", "true");
        assertThat(List.of(h.intervalSeconds(), h.timeoutSeconds(), h.retryCount(), h.startPeriodSeconds()))
                .containsExactly(30, 5, 3, 0);
    }

    @Test
    void readsTheSeedTaskDefinitions() {
        TaskDef def = TaskDefinitionReader.read(Path.of("../ward-check/src/test/resources/seeds/004-nginx-nonroot-sidecar.json"));
        assertThat(def.containers()).extracting(Container::name).containsExactly("nginx", "datacollector-sidecar");
        assertThat(def.container("nginx").orElseThrow().volumesFrom())
                .extracting(v -> Values.text(v.sourceContainer()), v -> v.readOnly().flatMap(Field::bool).orElse(false))
                .containsExactly(tuple("datacollector-sidecar", true));
    }

    @Test
    void unknownDependencyNamesTheContainerAndField() {
        rejects("""
                {"family": "f", "containerDefinitions": [
                  {"name": "web", "image": "i", "dependsOn": [{"containerName": "db", "condition": "START"}]}]}""",
                "task.json: container \"web\": dependsOn[0].containerName: no container named \"db\" in the task (web)");
    }

    @Test
    void dependencyCycleIsReportedWithItsPath() {
        rejects("""
                {"family": "f", "containerDefinitions": [
                  {"name": "a", "image": "i", "dependsOn": [{"containerName": "b", "condition": "START"}]},
                  {"name": "b", "image": "i", "dependsOn": [{"containerName": "c", "condition": "START"}]},
                  {"name": "c", "image": "i", "dependsOn": [{"containerName": "a", "condition": "START"}]}]}""",
                "container \"a\": dependsOn: cycle: a -> b -> c -> a");
    }

    @Test
    void efsVolumesAreNotSupportedLocally() {
        rejects("""
                {"family": "f", "volumes": [{"name": "shared", "efsVolumeConfiguration": {"fileSystemId": "fs-1"}}],
                 "containerDefinitions": [{"name": "a", "image": "i"}]}""",
                "task.json: volumes[0] (shared).efsVolumeConfiguration: not supported locally");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        rejects("""
                {"family": "f", "containerDefinitions": [
                  {"name": "a", "image": "i", "essential": "yes", "dependsOn": [{"containerName": "b", "condition": "READY"}],
                   "healthCheck": {"command": ["true"], "interval": 1}},
                  {"name": "b"}]}""",
                "containerDefinitions[0] (a).essential: expected true or false, got \"yes\"",
                "containerDefinitions[0] (a).dependsOn[0].condition: \"READY\" (expected START, COMPLETE, SUCCESS or HEALTHY)",
                "containerDefinitions[0] (a).healthCheck.command: expected [\"CMD\", exe, args...]",
                "containerDefinitions[0] (a).healthCheck.interval: 1 is out of range (ECS allows 5..300)",
                "containerDefinitions[1] (b).image: missing");
    }

    @Test
    void fieldsOfTheWrongShapeAreReportedWithTheirPlaceBesideTheOtherProblems() {
        rejects("""
                {"family": "f", "containerDefinitions": [
                  {"name": "a", "image": "i", "command": "sh -c true", "stopTimeout": 1}]}""",
                "task.json:2:31: \"command\" is the value sh -c true (expected a list)",
                "containerDefinitions[0] (a).stopTimeout: 1 is out of range (ECS allows 2..120)");
    }

    @Test
    void fieldNamesAreTheApisExactly() {
        // ECS refuses "Image" for "image", and so does ward local (ward check, reading CloudFormation too, ignores case)
        rejects("""
                {"family": "f", "containerDefinitions": [{"name": "a", "Image": "i"}]}""",
                "containerDefinitions[0] (a).image: missing");
    }

    @Test
    void conditionsThatEcsRejects() {
        rejects("""
                {"family": "f", "containerDefinitions": [
                  {"name": "a", "image": "i", "dependsOn": [{"containerName": "b", "condition": "HEALTHY"},
                                                            {"containerName": "c", "condition": "SUCCESS"}]},
                  {"name": "b", "image": "i"}, {"name": "c", "image": "i"}]}""",
                "dependsOn[0].condition: HEALTHY needs a healthCheck on \"b\", it has none",
                "dependsOn[1].condition: SUCCESS cannot be used on an essential container");
    }

    @Test
    void volumesFromAndMountPointsNameExistingThings() {
        rejects("""
                {"family": "f", "containerDefinitions": [
                  {"name": "a", "image": "i", "volumesFrom": [{"sourceContainer": "agent"}],
                   "mountPoints": [{"sourceVolume": "data", "containerPath": "/d"}]}]}""",
                "container \"a\": volumesFrom[0].sourceContainer: no container named \"agent\"",
                "container \"a\": mountPoints[0].sourceVolume: no task volume named \"data\"");
    }

    @Test
    void invalidJsonGivesThePosition() {
        rejects("{\"family\": \"f\",\n  \"containerDefinitions\": [}", "task.json:2:28: not valid JSON");
    }

    @Test
    void readsThroughTheBoundedReaderThatCheckAndInjectUse() {
        // 1200 levels: a limit with a position, as ward check and ward inject report it, not a stack overflow
        rejects("{\"family\": " + "[".repeat(1200) + "]".repeat(1200) + "}",
                "task.json:1:111: not valid JSON: nesting deeper than 100 levels");
        // a wrapper that is not describe output (a service's taskDefinition reference) is not unwrapped
        rejects("{\"taskDefinition\": \"web:3\"}", "task.json: family: missing",
                "task.json: containerDefinitions: missing or empty");
    }
}
