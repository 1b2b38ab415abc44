package dev.ward.taskdef;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.JsonSource;
import org.junit.jupiter.api.Test;

class DetectorTest {
    private static Input read(String json) throws BadInputException {
        return Detector.read(new Src("f.json", json), JsonSource.parse(json, "f.json"));
    }

    private static InputKind kind(String json) throws BadInputException {
        return ((Input.Recognised) read(json)).kind();
    }

    @Test
    void taskDefinitionForms() throws BadInputException {
        assertThat(kind("{\"family\": \"a\", \"containerDefinitions\": []}")).isEqualTo(InputKind.TASK_DEFINITION);
        Input described = read("{\"taskDefinition\": {\"family\": \"a\", \"containerDefinitions\": [{\"name\": \"c\"}]}, \"tags\": []}");
        assertThat(((Input.Recognised) described).kind()).isEqualTo(InputKind.TASK_DEFINITION_DESCRIBED);
        TaskDef td = (TaskDef) ((Input.Recognised) described).resources().getFirst();
        assertThat(td.label()).isEqualTo("a");
        assertThat(td.containers().getFirst().loc().path()).isEqualTo("$.taskDefinition.containerDefinitions[0]");
    }

    @Test
    void serviceForms() throws BadInputException {
        assertThat(kind("{\"serviceName\": \"s\", \"taskDefinition\": \"t\"}")).isEqualTo(InputKind.SERVICE);
        assertThat(kind("{\"cluster\": \"c\", \"taskDefinition\": \"t\"}")).isEqualTo(InputKind.SERVICE);
        assertThat(kind("{\"service\": {\"serviceName\": \"s\"}}")).isEqualTo(InputKind.SERVICE);
        Input many = read("{\"services\": [{\"serviceName\": \"a\"}, {\"serviceName\": \"b\"}], \"failures\": []}");
        assertThat(((Input.Recognised) many).resources()).extracting(Resource::label).containsExactly("a", "b");
    }

    @Test
    void templatesAndPlans() throws BadInputException {
        assertThat(kind("{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}}")).isEqualTo(InputKind.CLOUDFORMATION);
        assertThat(kind("{\"format_version\": \"1.2\", \"planned_values\": {\"root_module\": {}}}")).isEqualTo(InputKind.TERRAFORM);
        assertThat(kind("{\"format_version\": \"1.0\", \"values\": {\"root_module\": {}}}")).isEqualTo(InputKind.TERRAFORM);
    }

    @Test
    void otherDocumentsAreNotRecognised() throws BadInputException {
        assertThat(read("{\"compilerOptions\": {}}")).isInstanceOf(Input.NotRecognised.class);
        assertThat(read("[1, 2]")).isInstanceOf(Input.NotRecognised.class);
        // a taskDefinition string alone is not enough to call it a service
        assertThat(read("{\"taskDefinition\": \"t\"}")).isInstanceOf(Input.NotRecognised.class);
    }

    @Test
    void wrongShapesAreErrorsWithTheirPlace() {
        String bad = "{\"containerDefinitions\": [{\"name\": \"a\",\n \"environment\": \"X=1\"}]}";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(bad))
                .isInstanceOfSatisfying(BadInputException.class, e -> {
                    assertThat(e.where()).isEqualTo("f.json:2:2");
                    assertThat(e.detail()).contains("\"environment\"").contains("expected a list");
                });
    }

    @Test
    void theTextGuessAgreesWithTheParsedDetector() throws BadInputException {
        String td = "{\"family\": \"a\", \"containerDefinitions\": []}";
        String described = "{\"taskDefinition\": {\"family\": \"a\", \"containerDefinitions\": [{\"name\": \"c\"}]}}";
        String cfn = "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}}";
        assertThat(Detector.guess(td)).contains(InputKind.TASK_DEFINITION);
        assertThat(Detector.guess(described)).contains(InputKind.TASK_DEFINITION);
        assertThat(kind(cfn)).isEqualTo(InputKind.CLOUDFORMATION);
        assertThat(Detector.guess(cfn)).contains(InputKind.CLOUDFORMATION);
        // before parsing: a broken document is still named by its keys, so its format can report the break
        assertThat(Detector.guess("{\"family\": \"f\",\n  \"containerDefinitions\": [}")).contains(InputKind.TASK_DEFINITION);
        assertThat(Detector.guess("# a manifest\napiVersion: v1\nkind: Pod\n")).contains(InputKind.KUBERNETES);
        assertThat(Detector.guess("Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n")).contains(InputKind.CLOUDFORMATION);
        // a task definition in YAML is no ECS API input; nested keys are not top-level ones
        assertThat(Detector.guess("family: a\ncontainerDefinitions: []\n")).isEmpty();
        assertThat(Detector.guess("spec:\n  apiVersion: v1\n  kind: Pod\n")).isEmpty();
    }
}
