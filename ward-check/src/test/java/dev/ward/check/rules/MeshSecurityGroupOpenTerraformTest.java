package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.only;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.check.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** WARD-ECS-027 on terraform show -json: a plan links by the configuration's references, a state by ids and ARNs. */
class MeshSecurityGroupOpenTerraformTest {
    private static final String TASK = """
            {"address": "%saws_ecs_task_definition.app", "mode": "managed", "type": "aws_ecs_task_definition",
             "values": {"family": "app", "revision": 3, "arn": %s, "network_mode": "awsvpc",
              "container_definitions": "[{\\"name\\":\\"app\\",\\"image\\":\\"app\\",\\"environment\\":[{\\"name\\":\\"WARD_MESH\\",\\"value\\":\\"on\\"}],\\"portMappings\\":[{\\"containerPort\\":8080},{\\"containerPort\\":15008}]}]"}}""";
    private static final String OPEN_GROUP = """
            {"address": "%saws_security_group.app", "mode": "managed", "type": "aws_security_group",
             "values": {"name": "app", "id": %s, "ingress": [
              {"protocol": "tcp", "from_port": 15008, "to_port": 15008, "cidr_blocks": ["10.0.0.0/16"],
               "ipv6_cidr_blocks": [], "security_groups": [], "prefix_list_ids": [], "self": false},
              {"protocol": "tcp", "from_port": 8080, "to_port": 8080, "cidr_blocks": ["0.0.0.0/0"],
               "ipv6_cidr_blocks": [], "security_groups": [], "prefix_list_ids": [], "self": false}]}}""";
    private static final String SERVICE_CONFIG = """
            {"address": "aws_ecs_service.app", "mode": "managed", "type": "aws_ecs_service", "name": "app",
             "expressions": {"task_definition": {"references": ["aws_ecs_task_definition.app.arn", "aws_ecs_task_definition.app"]},
              "network_configuration": [{"security_groups": {"references": ["aws_security_group.app.id", "aws_security_group.app"]}}]}}""";

    private static String plan(String resources, String config) {
        return """
                {"format_version": "1.2", "planned_values": {"root_module": %s},
                 "configuration": {"root_module": %s}}""".formatted(resources, config);
    }

    private static String service(String prefix, String values) {
        return """
                {"address": "%saws_ecs_service.app", "mode": "managed", "type": "aws_ecs_service",
                 "values": {"name": "app", %s}}""".formatted(prefix, values);
    }

    private static List<Finding> findings(String json) {
        return only("WARD-ECS-027", check("plan.json", json));
    }

    @Test
    void aPlanLinksTheServiceThroughItsReferences() {
        String resources = "{\"resources\": [" + TASK.formatted("", "null") + ", "
                + service("", "\"network_configuration\": [{\"subnets\": [\"subnet-1\"]}]") + ", "
                + OPEN_GROUP.formatted("", "null") + "]}";
        assertThat(findings(plan(resources, "{\"resources\": [" + SERVICE_CONFIG + "]}"))).singleElement().satisfies(f -> {
            assertThat(f.loc().path()).isEqualTo("$.planned_values.root_module.resources[2].values.ingress[1].from_port");
            assertThat(f.loc().pos().line()).isEqualTo(8);
            assertThat(f.resource()).isEqualTo("aws_ecs_service.app");
            assertThat(f.message()).contains("`aws_security_group.app` admits TCP 8080-8080 from 0.0.0.0/0");
        });
        assertThat(findings(plan(resources, "{\"resources\": []}"))).as("without the references nothing links").isEmpty();
    }

    @Test
    void aPlanInAChildModuleResolvesReferencesInsideTheModule() {
        String p = "module.web.";
        String resources = "{\"child_modules\": [{\"address\": \"module.web\", \"resources\": [" + TASK.formatted(p, "null")
                + ", " + service(p, "\"network_configuration\": [{}]") + ", " + OPEN_GROUP.formatted(p, "null") + "]}]}";
        String config = "{\"module_calls\": {\"web\": {\"module\": {\"resources\": [" + SERVICE_CONFIG + "]}}}}";
        assertThat(findings(plan(resources, config))).singleElement()
                .satisfies(f -> assertThat(f.resource()).isEqualTo("module.web.aws_ecs_service.app"));
    }

    @Test
    void aStateLinksByIdsAndArnsWithSeparateRuleResources() {
        String arn = "\"arn:aws:ecs:eu-west-1:111122223333:task-definition/app:3\"";
        String group = OPEN_GROUP.formatted("", "\"sg-1\"").replace("\"0.0.0.0/0\"", "\"10.0.0.0/16\"")
                .replace("\"from_port\": 8080, \"to_port\": 8080", "\"from_port\": 9000, \"to_port\": 9000");
        String rules = """
                {"address": "aws_security_group_rule.app", "mode": "managed", "type": "aws_security_group_rule",
                 "values": {"type": "ingress", "security_group_id": "sg-1", "protocol": "tcp", "from_port": 8000,
                  "to_port": 8999, "cidr_blocks": ["10.0.0.0/8"], "source_security_group_id": null}},
                {"address": "aws_vpc_security_group_ingress_rule.all", "mode": "managed",
                 "type": "aws_vpc_security_group_ingress_rule",
                 "values": {"security_group_id": "sg-1", "ip_protocol": "-1", "from_port": null, "to_port": null,
                  "cidr_ipv4": null, "cidr_ipv6": "::/0"}},
                {"address": "aws_vpc_security_group_ingress_rule.lb", "mode": "managed",
                 "type": "aws_vpc_security_group_ingress_rule",
                 "values": {"security_group_id": "sg-1", "ip_protocol": "tcp", "from_port": 8080, "to_port": 8080,
                  "referenced_security_group_id": "sg-lb"}},
                {"address": "aws_security_group_rule.egress", "mode": "managed", "type": "aws_security_group_rule",
                 "values": {"type": "egress", "security_group_id": "sg-1", "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"]}}""";
        String svc = service("", "\"task_definition\": " + arn
                + ", \"network_configuration\": [{\"security_groups\": [\"sg-1\", \"sg-elsewhere\"]}]");
        String state = "{\"format_version\": \"1.0\", \"values\": {\"root_module\": {\"resources\": ["
                + TASK.formatted("", arn) + ", " + svc + ", " + group + ", " + rules + "]}}}";
        assertThat(findings(state)).extracting(f -> f.loc().path()).containsExactly(
                "$.values.root_module.resources[3].values.from_port",
                "$.values.root_module.resources[4].values.ip_protocol");
        assertThat(findings(state.replace("\"sg-1\", \"sg-elsewhere\"", "\"sg-elsewhere\"")))
                .as("a group from outside the state").isEmpty();
        assertThat(findings(state.replace("\"task_definition\": " + arn, "\"task_definition\": \"other:1\"")))
                .as("a task definition from outside the state").isEmpty();
        assertThat(findings(state.replace("\"task_definition\": " + arn, "\"task_definition\": \"app:3\"")))
                .as("family:revision names the task definition of the state").hasSize(2);
    }
}
