package dev.ward.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** ward inject on CloudFormation: YAML short-form intrinsics survive, PascalCase properties, data maps untouched. */
class CloudFormationInjectTest {
    static final Path INPUT = Path.of("src/test/resources/inputs/cfn-socat.yaml");
    static final Path GOLDEN = Path.of("src/test/resources/golden/cfn-socat.yaml");

    @Test
    void yamlTemplateKeepsItsIntrinsicsAndGetsTheAgent() throws Exception {
        CloudFormationInjector cfn = new CloudFormationInjector(InjectGoldenTest.sidecar(), InjectGoldenTest.IMAGES);
        String out = cfn.injectYaml(INPUT.toString(), Files.readString(INPUT, StandardCharsets.UTF_8));
        if (Boolean.getBoolean("ward.golden.update")) {
            Files.writeString(GOLDEN, out);
        }
        assertThat(out).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
        assertThat(out).contains("Image: !Ref 'Image'").contains("awslogs-group: !Ref 'LogGroup'")
                .contains("!GetAtt").contains("!Sub").contains("SourceContainer: ward-agent")
                .contains("Name: ward-agent").contains("ValueFrom: " + InjectGoldenTest.TOKEN_ARN);
        // again: nothing changes
        String again = new CloudFormationInjector(InjectGoldenTest.sidecar(), InjectGoldenTest.IMAGES).injectYaml("out", out);
        assertThat(again).isEqualTo(out);
    }

    @Test
    void intrinsicsWardMustEvaluateAreRefusedByName() throws Exception {
        String yaml = Files.readString(INPUT).replace("          EntryPoint: [socat]\n", "")
                .replace("          Command: [\"TCP-LISTEN:1337,reuseaddr,fork\", \"EXEC:bash,pty,stderr,setsid,sigint,sane\"]\n", "");
        assertThatThrownBy(() -> new CloudFormationInjector(InjectGoldenTest.sidecar(), InjectGoldenTest.IMAGES)
                .injectYaml("t.yaml", yaml)).hasMessageContaining("TaskDefinition container armored-container: Image is Ref")
                .hasMessageContaining("give EntryPoint");
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree("""
                {"Resources": {"Td": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [
                  {"Name": "app", "Image": "x", "Command": {"Ref": "Cmd"}}]}}}}""");
        assertThatThrownBy(() -> new CloudFormationInjector(InjectGoldenTest.sidecar(), InjectGoldenTest.IMAGES)
                .injectJson(json)).hasMessageContaining("Td container app: Command: Ref cannot be evaluated");
    }
}
