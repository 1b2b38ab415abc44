package dev.ward.taskdef.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class YamlSourceTest {
    private static final String TEMPLATE = """
            Resources:
              Task:
                Type: AWS::ECS::TaskDefinition
                Properties:
                  TaskRoleArn: !GetAtt Role.Arn
                  ContainerDefinitions:
                    - Name: app
                      Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:1"
                      Privileged: true
                      Essential: "true"
            """;

    @Test
    void shortFormTagsStayOnTheNodes() throws BadInputException {
        ObjNode props = props();
        ValNode role = (ValNode) props.get("TaskRoleArn").orElseThrow();
        assertThat(role.tag()).isEqualTo("!GetAtt");
        assertThat(role.text()).isEqualTo("Role.Arn");
        assertThat(role.intrinsic()).isTrue();
    }

    @Test
    void scalarsAreTypedAndPlaced() throws BadInputException {
        ObjNode c = (ObjNode) ((ArrNode) props().get("ContainerDefinitions").orElseThrow()).items().getFirst();
        ValNode priv = (ValNode) c.get("Privileged").orElseThrow();
        assertThat(priv.value()).isEqualTo(Boolean.TRUE);
        assertThat(priv.pos()).isEqualTo(new Pos(9, 11));
        assertThat(priv.path()).isEqualTo("$.Resources.Task.Properties.ContainerDefinitions[0].Privileged");
        assertThat(((ValNode) c.get("Essential").orElseThrow()).value()).isEqualTo("true");
        assertThat(c.pos()).isEqualTo(new Pos(7, 11));
    }

    @Test
    void malformedYamlReportsLineAndColumn() {
        String bad = "Resources:\n  Task:\n    Type: [unclosed\n";
        assertThatThrownBy(() -> YamlSource.parse(bad, "stack.yaml"))
                .isInstanceOfSatisfying(BadInputException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.YAML_SYNTAX);
                    assertThat(e.pos()).isNotNull();
                    assertThat(e.render()).startsWith("stack.yaml:" + e.pos().line() + ":" + e.pos().column() + ": error[WC102]: ");
                });
    }

    @Test
    void duplicateKeysAreErrors() {
        assertThatThrownBy(() -> YamlSource.parse("a: 1\nb: 2\na: 3\n", "c.yaml"))
                .isInstanceOfSatisfying(BadInputException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_KEY);
                    assertThat(e.where()).isEqualTo("c.yaml:3:1");
                });
    }

    private static ObjNode props() throws BadInputException {
        ObjNode root = (ObjNode) YamlSource.parse(TEMPLATE, "stack.yaml");
        return root.obj("Resources").orElseThrow().obj("Task").orElseThrow().obj("Properties").orElseThrow();
    }
}
