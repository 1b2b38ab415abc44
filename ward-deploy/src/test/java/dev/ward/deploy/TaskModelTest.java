package dev.ward.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.TaskDef;
import org.junit.jupiter.api.Test;

class TaskModelTest {
    private static JsonNode json(String s) throws Exception {
        return InjectCommand.JSON.readTree(s);
    }

    @Test
    void describeOutputByTheRuleEveryToolUses() throws Exception {
        assertThat(TaskModel.described(json("{\"taskDefinition\": {\"containerDefinitions\": []}, \"tags\": []}"))).isTrue();
        // a service's reference, and an object that holds no task definition, are not describe output
        assertThat(TaskModel.described(json("{\"taskDefinition\": \"web:3\", \"cluster\": \"c\"}"))).isFalse();
        assertThat(TaskModel.described(json("{\"taskDefinition\": {\"family\": \"f\"}}"))).isFalse();
    }

    @Test
    void readsTheWriterTreeWithTheSharedReader() throws Exception {
        TaskDef td = TaskModel.read(json("""
                {"memory": null, "executionRoleArn": "arn:r", "runtimePlatform": {"operatingSystemFamily": "LINUX"},
                 "containerDefinitions": [
                  {"name": "app", "image": "nginx", "user": 101, "essential": false, "command": "not a list",
                   "dockerLabels": {"dev.ward.agent": "embedded"}, "volumesFrom": [{"sourceContainer": "ward-agent"}]},
                  {"image": "busybox"}]}"""));
        assertThat(td.memory().orElseThrow().isNull()).isTrue();
        assertThat(TaskModel.text(td.osFamily())).contains("LINUX");
        Container app = td.containers().getFirst();
        assertThat(TaskModel.name(app)).isEqualTo("app");
        assertThat(app.isEssential()).isFalse();
        assertThat(app.user().orElseThrow().shown()).isEqualTo("101");
        assertThat(app.command()).isEmpty(); // read leniently: inject checks what it rewrites itself
        assertThat(app.wardLabel()).isPresent();
        assertThat(app.loc().path()).isEqualTo("$.containerDefinitions[0]");
        assertThat(TaskModel.name(td.containers().get(1))).isEmpty();
    }
}
