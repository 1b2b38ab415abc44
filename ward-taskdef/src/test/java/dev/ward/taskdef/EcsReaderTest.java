package dev.ward.taskdef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.JsonSource;
import dev.ward.taskdef.source.ObjNode;
import dev.ward.taskdef.source.YamlSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EcsReaderTest {
    private static final String TASK = """
            {"family": "web", "revision": 3, "cpu": 256, "pidMode": "task", "runtimePlatform": {"cpuArchitecture": "ARM64"},
             "volumes": [{"name": "srv", "host": {"sourcePath": "/srv"}}, {"name": "ebs", "configuredAtLaunch": true}],
             "containerDefinitions": [
              {"name": "app", "image": "nginx", "workingDirectory": "/w", "stopTimeout": "20",
               "portMappings": [{"containerPort": 80, "protocol": "UDP"}, {"containerPortRange": "1-2"}],
               "mountPoints": [{"sourceVolume": "srv", "containerPath": "/d", "readOnly": true}],
               "volumesFrom": [{"sourceContainer": "side"}],
               "dependsOn": [{"containerName": "side", "condition": "HEALTHY"}, {"containerName": "x", "condition": "ready"}],
               "environmentFiles": [{"value": "arn:aws:s3:::b/e.env", "type": "s3"}],
               "linuxParameters": {"capabilities": {"drop": ["NET_RAW"]}, "initProcessEnabled": true, "tmpfs": []}},
              {"name": "side", "image": "busybox", "healthCheck": {"command": ["CMD", "true"], "retries": 5}}]}""";

    private static TaskDef read(Src src, String json) throws BadInputException {
        return EcsReader.taskDef(src, (ObjNode) JsonSource.parse(json, src.file()), Dialect.ECS, "web");
    }

    @Test
    void readsWhatEveryToolUsesWithPlacesAndEcsDefaults() throws BadInputException {
        TaskDef td = read(new Src("t.json", TASK), TASK);
        assertThat(td.revisionNumber()).isEqualTo(3);
        assertThat(td.sharedPid()).isTrue();
        assertThat(td.cpu().orElseThrow().value()).isEqualTo(256);
        assertThat(td.cpuArchitecture().flatMap(Field::literal)).contains("ARM64");
        assertThat(td.volume("srv").orElseThrow().hostSourcePath().flatMap(Field::literal)).contains("/srv");
        assertThat(td.volume("ebs").orElseThrow().configuredAtLaunch().flatMap(Field::bool)).contains(true);
        Container app = td.container("app").orElseThrow();
        assertThat(app.workingDirectory().flatMap(Field::literal)).contains("/w");
        assertThat(app.stopTimeout().flatMap(Field::integer)).contains(20);
        assertThat(app.portMappings()).extracting(p -> p.containerPort().flatMap(Field::integer), Container.PortMapping::protocolName,
                p -> p.containerPortRange().isPresent())
                .containsExactly(tuple(Optional.of(80), "udp", false), tuple(Optional.empty(), "tcp", true));
        assertThat(app.portMappings().getFirst().loc().path()).isEqualTo("$.containerDefinitions[0].portMappings[0]");
        assertThat(app.mountPoints().getFirst().readOnly().flatMap(Field::bool)).contains(true);
        assertThat(app.volumesFrom().getFirst().sourceContainer().flatMap(Field::literal)).contains("side");
        assertThat(app.dependsOn()).extracting(Container.Dependency::knownCondition)
                .containsExactly(Optional.of(Container.Condition.HEALTHY), Optional.empty());
        assertThat(app.environmentFiles().getFirst().value().flatMap(Field::literal)).contains("arn:aws:s3:::b/e.env");
        assertThat(app.linuxParameters().capabilitiesDrop()).extracting(Field::text).containsExactly("NET_RAW");
        assertThat(app.linuxParameters().initProcessEnabled().flatMap(Field::bool)).contains(true);
        assertThat(app.linuxParameters().notOnFargate()).extracting(Loc::path)
                .containsExactly("$.containerDefinitions[0].linuxParameters.tmpfs");
        Container.HealthCheck h = td.container("side").orElseThrow().healthCheck().orElseThrow();
        assertThat(List.of(h.intervalSeconds(), h.timeoutSeconds(), h.retryCount(), h.startPeriodSeconds()))
                .containsExactly(30, 5, 5, 0);
        assertThat(h.loc().pos().line()).isEqualTo(11);
    }

    @Test
    void aCollectingSourceReportsEveryShapeProblemAndReadsTheFieldAsAbsent() throws BadInputException {
        String json = """
                {"family": "f", "containerDefinitions": [
                  {"name": "a", "command": "sh", "portMappings": [8080], "environment": [{"value": "x"}]}]}""";
        assertThatThrownBy(() -> read(new Src("t.json", json), json)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("t.json:2:74: an item of \"environment\" has no \"name\"");
        Src src = Src.api("t.json", json);
        TaskDef td = read(src, json);
        assertThat(src.collected()).extracting(BadInputException::where, BadInputException::detail).containsExactly(
                tuple("t.json:2:74", "an item of \"environment\" has no \"name\" (expected {\"name\": ..., \"value\": ...})"),
                tuple("t.json:2:17", "\"command\" is the value sh (expected a list)"),
                tuple("t.json:2:51", "an item of \"portMappings\" is the value 8080 (expected an object)"));
        assertThat(td.containers().getFirst().command()).isEmpty();
        assertThat(td.containers().getFirst().portMappings()).isEmpty();
    }

    @Test
    void theApisReadingTakesFieldNamesExactlyCheckIgnoresCase() throws BadInputException {
        String json = "{\"containerDefinitions\": [{\"name\": \"a\", \"Image\": \"i\", \"HealthCheck\": {}}]}";
        Container api = read(Src.api("t.json", json), json).containers().getFirst();
        assertThat(api.image()).isEmpty();
        assertThat(api.healthCheck()).isEmpty();
        Container check = read(new Src("t.json", json), json).containers().getFirst();
        assertThat(check.image().flatMap(Field::literal)).contains("i");
        assertThat(check.healthCheck()).isPresent();
    }

    @Test
    void integersAndBooleansAreTheParsedValuesNotTheirText() throws BadInputException {
        Container c = EcsReader.container(new Src("c.yaml", null), (ObjNode) YamlSource.parse("""
                Name: a
                Memory: 0x10
                Essential: "false"
                StartTimeout: 12.9
                """, "c.yaml"), 0, Dialect.CLOUDFORMATION);
        assertThat(c.memory().flatMap(Field::integer)).contains(16);
        assertThat(c.startTimeout().flatMap(Field::integer)).contains(12);
        assertThat(c.essential().flatMap(Field::bool)).isEmpty();
        assertThat(c.isEssential()).isFalse();
    }
}
