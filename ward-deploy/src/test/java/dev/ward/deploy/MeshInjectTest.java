package dev.ward.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;

/**
 * {@code ward inject --mesh}: seed 003's echo service (its task role, port 80) joins the mesh; the output is a
 * reviewed golden file, registers as the ECS API's request, keeps Fargate's rules, and a second pass changes nothing;
 * a task protected earlier gets only the mesh's settings; Kubernetes pods get the same.
 */
class MeshInjectTest {
    static final Path ECHO = InjectGoldenTest.INPUTS.resolve("seed003-echo.json");
    static final String ROLE = "arn:aws:iam::835335437537:role/ecs/ambient/eks-ecs-task-role";

    static InjectOptions meshed(String tokenSecret, boolean strict) {
        return InjectGoldenTest.sidecar().meshed(new InjectOptions.Mesh("ecs", "demo", tokenSecret, strict));
    }

    @Test
    void seed003EchoServiceJoinsTheMeshWithItsTaskRole() throws Exception {
        String input = Files.readString(ECHO, StandardCharsets.UTF_8);
        EcsInjector injector = new EcsInjector(meshed(null, false), InjectGoldenTest.IMAGES);
        ObjectNode out = injector.inject((ObjectNode) InjectGoldenTest.JSON.readTree(input));
        String text = InjectCommand.write(out, JsonText.indentOf(input));
        Path golden = InjectGoldenTest.GOLDEN.resolve("seed003-echo-mesh.json");
        if (Boolean.getBoolean("ward.golden.update")) {
            Files.writeString(golden, text);
        }
        assertThat(text).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
        ContainerDefinition echo = InjectGoldenTest.asRequest(out).containerDefinitions().stream()
                .filter(c -> c.name().equals("echo")).findFirst().orElseThrow();
        assertThat(echo.environment()).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("WARD_MESH");
            assertThat(e.value()).isEqualTo("on");
        });
        assertThat(echo.portMappings()).anySatisfy(p -> assertThat(p.containerPort()).isEqualTo(15008));
        assertThat(FargateRules.violations(out)).isEmpty();
        assertThat(injector.notes()).anyMatch(n -> n.equals("mesh identity ecs/demo: let the task's role hold it with "
                + "'ward mesh bind ecs/demo --role " + ROLE + "'"));
        assertThat(injector.notes()).anyMatch(n -> n.contains("still maps 80") && n.contains("WARD-ECS-025"));
        // idempotent
        ObjectNode again = new EcsInjector(meshed(null, false), InjectGoldenTest.IMAGES).inject(out);
        assertThat(InjectCommand.write(again, JsonText.indentOf(text))).isEqualTo(text);
    }

    @Test
    void aTaskProtectedEarlierGetsOnlyTheMeshSettingsAndTheTokenAsASecret() throws Exception {
        ObjectNode protectedTask = new EcsInjector(InjectGoldenTest.sidecar(), InjectGoldenTest.IMAGES)
                .inject(InjectGoldenTest.read(ECHO));
        String arn = "arn:aws:ssm:us-west-1:835335437537:parameter/ward/mesh-token";
        EcsInjector injector = new EcsInjector(meshed(arn, true), InjectGoldenTest.IMAGES);
        ObjectNode out = injector.inject(protectedTask);
        JsonNode echo = out.get("containerDefinitions").get(0);
        assertThat(echo.get("entryPoint")).isEqualTo(protectedTask.get("containerDefinitions").get(0).get("entryPoint"));
        assertThat(echo.get("environment").toString()).contains("{\"name\":\"WARD_MESH\",\"value\":\"on\"}")
                .contains("{\"name\":\"WARD_MESH_INBOUND\",\"value\":\"strict\"}");
        assertThat(echo.get("secrets").toString()).contains("{\"name\":\"WARD_MESH_TOKEN\",\"valueFrom\":\"" + arn + "\"}");
        assertThat(out.get("containerDefinitions")).hasSize(2); // the sidecar is not added twice
        assertThat(injector.notes()).anyMatch(n -> n.startsWith("container echo: already protected, secret WARD_MESH_TOKEN"));
        assertThat(injector.notes()).contains("mesh identity ecs/demo: store a token from 'ward mesh enroll ecs/demo' in "
                + arn);
    }

    @Test
    void withoutARoleOrATokenOrARelayTheTaskCannotJoin() throws Exception {
        ObjectNode noRole = InjectGoldenTest.read(ECHO);
        noRole.remove("taskRoleArn");
        assertThatThrownBy(() -> new EcsInjector(meshed(null, false), InjectGoldenTest.IMAGES).inject(noRole))
                .isInstanceOf(InjectException.class).hasMessageContaining("must earn its mesh identity")
                .hasMessageContaining("--mesh-token-secret");
        var noRelay = new InjectOptions(InjectOptions.Mode.SIDECAR, "ward-agent:0.1.0", List.of(), Map.of(), null, null,
                null, Map.of()).meshed(new InjectOptions.Mesh(null, null, null, false));
        assertThatThrownBy(() -> new EcsInjector(noRelay, InjectGoldenTest.IMAGES).inject(InjectGoldenTest.read(ECHO)))
                .hasMessage("container echo: --mesh needs the relay (its CA issues the mesh identities): give --relay "
                        + "HOST:PORT");
    }

    @Test
    void kubernetesPodsGetTheMeshPortAndTheirOwnIdentity() throws Exception {
        String text = Files.readString(KubernetesInjectTest.INPUT, StandardCharsets.UTF_8);
        InjectOptions options = KubernetesInjectTest.options()
                .meshed(new InjectOptions.Mesh(null, null, "mesh-token/token", false));
        KubernetesInjector k = new KubernetesInjector(options, (image, p) -> InjectGoldenTest.imageConfig(
                List.of("/bin/bash"), List.of("-l"), null));
        String out = k.inject(KubernetesInjectTest.INPUT.toString(), text);
        assertThat(out).contains("name: ward-hbone").contains("containerPort: 15008").contains("value: 'on'").contains("name: WARD_MESH_TOKEN")
                .contains("name: mesh-token");
        assertThat(k.notes()).anyMatch(n -> n.startsWith("Deployment/") && n.contains("mesh identity ")
                && n.contains("ward mesh enroll"));
        KubernetesInjector again = new KubernetesInjector(options, (image, p) -> {
            throw new AssertionError("no registry read on a second pass");
        });
        assertThat(again.inject("out", out)).isEqualTo(out);
        var bad = KubernetesInjectTest.options().meshed(new InjectOptions.Mesh(null, null, "arn:aws:ssm:x", false));
        assertThatThrownBy(() -> new KubernetesInjector(bad, (i, p) -> null).inject("x", text))
                .hasMessageContaining("--mesh-token-secret arn:aws:ssm:x: for Kubernetes give SECRET/KEY");
    }

    @Test
    void theCommandLineTakesTheMeshOptionsAndRefusesThemAlone(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        String echo = ECHO.toString();
        InjectCommandTest.Run alone = InjectCommandTest.inject(echo, "--agent-image", InjectCommandTest.AGENT,
                "--mesh-strict");
        assertThat(alone.code()).isEqualTo(2);
        assertThat(alone.err()).contains("--mesh-identity, --mesh-token-secret and --mesh-strict go with --mesh");
        InjectCommandTest.Run badId = InjectCommandTest.inject(echo, "--agent-image", InjectCommandTest.AGENT, "--mesh",
                "--mesh-identity", "Ecs");
        assertThat(badId.err()).contains("--mesh-identity Ecs: expected NAMESPACE/SERVICE_ACCOUNT");
        InjectCommandTest.Run plain = InjectCommandTest.inject(echo, "--agent-image", InjectCommandTest.AGENT, "--mesh",
                "--env", "WARD_MESH_TOKEN=abc");
        assertThat(plain.err()).contains("--env WARD_MESH_TOKEN: an enrollment token must not be a plain");
        ObjectNode withCommand = InjectGoldenTest.read(ECHO); // no registry to read the image from
        ((ObjectNode) withCommand.get("containerDefinitions").get(0)).putArray("entryPoint").add("httpd-foreground");
        Path task = Files.writeString(dir.resolve("echo.json"), withCommand.toString());
        InjectCommandTest.Run ok = InjectCommandTest.inject(task.toString(), "--agent-image", InjectCommandTest.AGENT,
                "--relay", "relay.internal:32767", "--relay-token-secret", InjectGoldenTest.TOKEN_ARN, "--mesh",
                "--mesh-identity", "ecs/echo");
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).contains("\"WARD_MESH\"").contains("15008");
        assertThat(ok.err()).contains("ward mesh bind ecs/echo --role " + ROLE);
    }

    @Test
    void cloudFormationTaskDefinitionsGetTheSameInPascalCase() throws Exception {
        Path input = Path.of("src/test/resources/inputs/cfn-socat.yaml");
        String text = Files.readString(input, StandardCharsets.UTF_8);
        String arn = "arn:aws:ssm:us-east-1:123456789012:parameter/ward/mesh-token";
        CloudFormationInjector cfn = new CloudFormationInjector(meshed(arn, true), InjectGoldenTest.IMAGES);
        String out = cfn.injectYaml(input.toString(), text);
        assertThat(out).contains("Name: WARD_MESH\n").contains("Value: 'on'").contains("ContainerPort: 15008")
                .contains("Name: WARD_MESH_TOKEN").contains("ValueFrom: " + arn);
        assertThat(new CloudFormationInjector(meshed(arn, true), InjectGoldenTest.IMAGES).injectYaml("out", out))
                .isEqualTo(out);
    }
}
