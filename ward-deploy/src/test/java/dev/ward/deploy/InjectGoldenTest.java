package dev.ward.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.registry.ImageConfig;
import dev.ward.registry.ImageConfigSource;
import dev.ward.registry.Platform;
import dev.ward.registry.RegistryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

/**
 * ward inject on the seeds' task definitions (KubeArmor's socat sample, the Flask backend with secrets and a
 * health check, Lacework's nginx patterns) and AWS's documented Fargate web server (as describe-task-definition
 * returns it). Expected outputs are checked in (src/test/resources/golden; regenerate with
 * -Dward.golden.update=true and review the diff). Every result must parse as the ECS API's
 * RegisterTaskDefinitionRequest and keep to Fargate's rules.
 */
class InjectGoldenTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path INPUTS = Path.of("src/test/resources/inputs");
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final String TOKEN_ARN = "arn:aws:ssm:us-east-1:123456789012:parameter/ward/relay-token";

    /** The image configurations these tests need: a fixed table (test fixture), see {@link SeedImageConfigs}. */
    static final ImageConfigSource IMAGES = SeedImageConfigs.INSTANCE;

    public static ImageConfig imageConfig(List<String> entrypoint, List<String> cmd, String user) {
        return SeedImageConfigs.config(entrypoint, cmd, user);
    }

    /** Sidecar mode; Lacework's agent in the seed's tasks is replaced (see ForeignAgentsTest for the refusal). */
    public static InjectOptions sidecar() {
        return new InjectOptions(InjectOptions.Mode.SIDECAR, "ward-agent:0.1.0", List.of(), Map.of(),
                "relay.internal:32767", null, TOKEN_ARN, Map.of("WARD_LOG_FILTER", "all")).replacingAgents();
    }

    static ObjectNode read(Path p) throws Exception {
        return (ObjectNode) JSON.readTree(p.toFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubearmor-socat-sample", "backend-flask", "lacework-nginx-root-sidecar",
        "lacework-nginx-nonroot-sidecar", "lacework-nginx-nonrootasroot-sidecar",
        "lacework-nginx-root-embedded", "aws-fargate-webserver-describe", "aws-container-dependency",
        "aws-ec2-bridge-ping", "aws-fargate-splunk"})
    void sidecarOutputsMatchTheReviewedGoldenFilesAndRegister(String name) throws Exception {
        String input = Files.readString(INPUTS.resolve(name + ".json"), StandardCharsets.UTF_8);
        ObjectNode in = (ObjectNode) JSON.readTree(input);
        ObjectNode out = new EcsInjector(sidecar(), IMAGES).inject(in);
        String text = InjectCommand.write(out, JsonText.indentOf(input));
        Path golden = GOLDEN.resolve(name + ".json");
        if (Boolean.getBoolean("ward.golden.update")) {
            Files.writeString(golden, text);
        }
        assertThat(text).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
        RegisterTaskDefinitionRequest request = asRequest(out);
        // Fargate's rules: whatever the input already broke stays listed, ward inject adds nothing to the list.
        JsonNode original = in.has("taskDefinition") ? in.get("taskDefinition") : in;
        assertThat(FargateRules.violations(out)).isEqualTo(FargateRules.violations(original));
        if (original.path("requiresCompatibilities").toString().contains("FARGATE")) {
            assertThat(FargateRules.violations(out)).isEmpty();
        }
        ContainerDefinition agent = request.containerDefinitions().stream()
                .filter(c -> c.name().equals(EcsInjector.AGENT)).findFirst().orElseThrow();
        assertThat(agent.essential()).isFalse();
        for (ContainerDefinition c : request.containerDefinitions()) {
            if (c.name().equals(EcsInjector.AGENT) || Boolean.FALSE.equals(c.essential())) {
                continue;
            }
            assertThat(c.entryPoint()).startsWith(agentArgv());
            assertThat(c.command()).isEmpty();
            assertThat(c.volumesFrom()).anySatisfy(v -> {
                assertThat(v.sourceContainer()).isEqualTo(EcsInjector.AGENT);
                assertThat(v.readOnly()).isTrue();
            });
            assertThat(c.secrets()).anySatisfy(s -> assertThat(s.valueFrom()).isEqualTo(TOKEN_ARN));
            assertThat(c.environment()).noneSatisfy(e -> assertThat(e.name()).isEqualTo("WARD_RELAY_TOKEN"));
        }
        // A second pass changes nothing.
        ObjectNode again = new EcsInjector(sidecar(), IMAGES).inject(out);
        assertThat(InjectCommand.write(again, JsonText.indentOf(text))).isEqualTo(text);
    }

    @Test
    void theOriginalArgvFollowsDockersRules() throws Exception {
        ObjectNode flask = new EcsInjector(sidecar(), IMAGES).inject(read(INPUTS.resolve("backend-flask.json")));
        JsonNode c = flask.get("containerDefinitions").get(0);
        assertThat(strings(c.get("entryPoint"))).containsExactly(agentArgv("python3", "-m", "flask", "run",
                "--host=0.0.0.0", "--port=4567"));
        // The task sets command only: the image's ENTRYPOINT comes first, its CMD is replaced.
        ObjectNode socat = new EcsInjector(sidecar(), IMAGES).inject(read(INPUTS.resolve("kubearmor-socat-sample.json")));
        assertThat(strings(socat.get("containerDefinitions").get(0).get("entryPoint"))).containsExactly(agentArgv("socat",
                "TCP-LISTEN:1337,reuseaddr,fork", "EXEC:bash,pty,stderr,setsid,sigint,sane"));
        // Non-root image user (USER 101 in the image): the task is left as it was (its own SYS_PTRACE stays, no
        // user field is added), and the notes say the agent runs as 101.
        EcsInjector injector = new EcsInjector(sidecar(), IMAGES);
        ObjectNode unprivileged = read(INPUTS.resolve("lacework-nginx-nonroot-embedded.json"));
        ((ObjectNode) unprivileged.get("containerDefinitions").get(0)).put("image", "nginxinc/nginx-unprivileged:1.23.1");
        ObjectNode nonroot = injector.inject(unprivileged);
        JsonNode n = nonroot.get("containerDefinitions").get(0);
        assertThat(n.has("user")).isFalse();
        assertThat(strings(n.get("linuxParameters").get("capabilities").get("add"))).containsExactly("SYS_PTRACE");
        assertThat(injector.notes()).anyMatch(note -> note.contains("container nginx:")
                && note.contains("runs as user 101 (the image's USER)") && !note.contains("capability SYS_PTRACE"));
    }

    @Test
    void embeddedModeReplacesTheImageAndRewritesOnlyOverriddenEntrypoints() throws Exception {
        var options = new InjectOptions(InjectOptions.Mode.EMBEDDED, "unused", List.of(),
                Map.of("armored-container", "registry.example/socat-ward:1"), null, null, null, Map.of());
        ObjectNode out = new EcsInjector(options, IMAGES).inject(read(INPUTS.resolve("kubearmor-socat-sample.json")));
        JsonNode c = out.get("containerDefinitions").get(0);
        assertThat(c.get("image").asText()).isEqualTo("registry.example/socat-ward:1");
        assertThat(strings(c.get("entryPoint"))).startsWith(agentArgv("socat"));
        assertThat(out.get("containerDefinitions")).hasSize(1);
        assertThat(c.has("volumesFrom")).isFalse();
    }

    @Test
    void badInputIsRefusedWithTheContainerAndField() throws Exception {
        ObjectNode td = read(INPUTS.resolve("kubearmor-socat-sample.json"));
        ((ObjectNode) td.get("containerDefinitions").get(0)).put("image", "unknown/image:1");
        assertThatThrownBy(() -> new EcsInjector(sidecar(), IMAGES).inject(td)).isInstanceOf(InjectException.class)
                .hasMessageContaining("container armored-container").hasMessageContaining("unknown/image:1: not found");
        ObjectNode td2 = read(INPUTS.resolve("kubearmor-socat-sample.json"));
        ((ObjectNode) td2.get("containerDefinitions").get(0)).put("command", "socat -");
        assertThatThrownBy(() -> new EcsInjector(sidecar(), IMAGES).inject(td2))
                .hasMessageContaining("container armored-container: command: expected a JSON array of strings");
        var only = new InjectOptions(InjectOptions.Mode.SIDECAR, "a", List.of("web"), Map.of(), null, null, null, Map.of());
        assertThatThrownBy(() -> new EcsInjector(only, IMAGES).inject(read(INPUTS.resolve("kubearmor-socat-sample.json"))))
                .hasMessageContaining("--container web: no such container (the task has armored-container)");
        var embedded = new InjectOptions(InjectOptions.Mode.EMBEDDED, "a", List.of(), Map.of(), null, null, null, Map.of());
        assertThatThrownBy(() -> new EcsInjector(embedded, IMAGES).inject(read(INPUTS.resolve("kubearmor-socat-sample.json"))))
                .hasMessageContaining("--embedded-image armored-container=IMAGE");
    }

    static RegisterTaskDefinitionRequest asRequest(JsonNode td) throws Exception {
        ObjectMapper strict = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        return strict.treeToValue(td, RegisterTaskDefinitionRequest.serializableBuilderClass()).build();
    }

    static List<String> strings(JsonNode a) {
        List<String> out = new java.util.ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The agent's entrypoint prefix, then {@code run --} and {@code argv}. */
    static String[] agentArgv(String... argv) {
        List<String> all = new java.util.ArrayList<>(EcsInjector.PREFIX);
        all.add("run");
        all.add("--");
        all.addAll(List.of(argv));
        return all.toArray(String[]::new);
    }
}
