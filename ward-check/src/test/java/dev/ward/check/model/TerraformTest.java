package dev.ward.check.model;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.only;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.check.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** terraform show -json: resources in modules, snake_case attributes, container_definitions as a JSON string. */
class TerraformTest {
    private static final String PLAN = """
            {
              "format_version": "1.2",
              "terraform_version": "1.9.0",
              "planned_values": {
                "root_module": {
                  "resources": [
                    {
                      "address": "aws_ecs_service.web",
                      "mode": "managed",
                      "type": "aws_ecs_service",
                      "name": "web",
                      "values": {
                        "name": "web",
                        "enable_execute_command": true,
                        "platform_version": "1.3.0",
                        "network_configuration": [{"assign_public_ip": true, "subnets": ["subnet-1"]}]
                      }
                    }
                  ],
                  "child_modules": [
                    {
                      "address": "module.app",
                      "resources": [
                        {
                          "address": "module.app.aws_ecs_task_definition.this",
                          "mode": "managed",
                          "type": "aws_ecs_task_definition",
                          "name": "this",
                          "values": {
                            "family": "app",
                            "network_mode": "awsvpc",
                            "pid_mode": "host",
                            "task_role_arn": null,
                            "container_definitions": "[{\\"name\\":\\"app\\",\\"image\\":\\"nginx:latest\\",\\"user\\":\\"root\\",\\"environment\\":[{\\"name\\":\\"AWS_REGION\\",\\"value\\":\\"eu-west-1\\"}]}]",
                            "volume": [{"name": "data", "efs_volume_configuration": [{"file_system_id": "fs-1", "transit_encryption": "DISABLED"}]}]
                          }
                        },
                        {
                          "address": "module.app.data.aws_ecs_task_definition.current",
                          "mode": "data",
                          "type": "aws_ecs_task_definition",
                          "values": {"container_definitions": "[{\\"name\\":\\"x\\",\\"privileged\\":true}]"}
                        }
                      ]
                    }
                  ]
                }
              }
            }
            """;

    private final List<Finding> findings = check("plan.json", PLAN);

    @Test
    void containersInsideTheJsonStringPointAtTheString() {
        Finding root = only("WARD-ECS-003", findings).getFirst();
        assertThat(root.loc().path()).isEqualTo(
                "$.planned_values.root_module.child_modules[0].resources[0].values.container_definitions[0].user");
        assertThat(root.loc().pos()).isEqualTo(new dev.ward.taskdef.source.Pos(34, 17));
        assertThat(root.resource()).isEqualTo("module.app.aws_ecs_task_definition.this");
        assertThat(only("WARD-ECS-014", findings)).hasSize(1);
    }

    @Test
    void taskLevelAttributesAreSnakeCase() {
        assertThat(only("WARD-ECS-010", findings).getFirst().loc().path()).endsWith(".values.pid_mode");
        assertThat(only("WARD-ECS-018", findings).getFirst().loc().path()).endsWith(".values.task_role_arn");
        assertThat(only("WARD-ECS-020", findings).getFirst().loc().path())
                .endsWith(".values.volume[0].efs_volume_configuration[0].transit_encryption");
    }

    @Test
    void serviceAttributes() {
        assertThat(only("WARD-ECS-021", findings).getFirst().loc().path())
                .isEqualTo("$.planned_values.root_module.resources[0].values.network_configuration[0].assign_public_ip");
        assertThat(only("WARD-ECS-022", findings)).hasSize(1);
        assertThat(only("WARD-ECS-023", findings)).hasSize(1);
    }

    @Test
    void dataSourcesAreNotChecked() {
        assertThat(only("WARD-ECS-005", findings)).isEmpty();
    }

    @Test
    void stateOutputIsReadToo() {
        String state = """
                {"format_version": "1.0", "values": {"root_module": {"resources": [
                  {"address": "aws_ecs_service.s", "mode": "managed", "type": "aws_ecs_service",
                   "values": {"network_configuration": [{"assign_public_ip": false}]}}]}}}
                """;
        assertThat(only("WARD-ECS-021", check("state.json", state))).isEmpty();
        assertThat(check("state.json", state.replace("false", "true"))).extracting(f -> f.rule().id()).contains("WARD-ECS-021");
    }
}
