package dev.ward.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.testing.PolicyYaml;
import dev.ward.registry.testing.LocalRegistry;
import dev.ward.registry.testing.TestImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command as users run it: errors with file, line and field; nothing written on failure; the real registry. */
class InjectCommandTest {
    /** An agent image as users name it: their registry, by digest (ward image build-agent prints it). */
    static final String AGENT = "123456789012.dkr.ecr.us-east-1.amazonaws.com/ward-agent@sha256:"
            + "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run inject(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new InjectCommand()).execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void invalidJsonNamesTheLineAndColumnAndWritesNothing() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\n  \"family\": \"x\",\n  \"containerDefinitions\": [\n    {\"name\": }\n  ]\n}\n");
        Path out = dir.resolve("out.json");
        Run r = inject(bad.toString(), "--agent-image", AGENT, "-o", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bad.json:4:").contains("invalid JSON");
        assertThat(out).doesNotExist();
    }

    @Test
    void aPlainTokenIsRefused() throws Exception {
        Run r = inject(Path.of("src/test/resources/inputs/kubearmor-socat-sample.json").toString(), "--agent-image", AGENT,
                "--env", "WARD_RELAY_TOKEN=s3cret");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--relay-token-secret").contains("--relay-token-env").doesNotContain("s3cret");
    }

    /** A task that gives its entry point, so no image is read (these tests run offline). */
    String offlineTask() throws Exception {
        return Files.writeString(dir.resolve("offline.json"), """
                {"family": "web", "containerDefinitions": [{"name": "web", "image": "example/web:1",
                  "entryPoint": ["/bin/web"], "command": ["--port", "80"]}]}
                """).toString();
    }

    @Test
    void sidecarModeNeedsAnAgentImageAndSaysHowToMakeOne() throws Exception {
        String td = offlineTask();
        Run r = inject(td, "-o", dir.resolve("o.json").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("ward inject: --agent-image is required in sidecar mode")
                .contains("ward image build-agent --to REGISTRY/ward-agent:TAG").hasLineCount(1);
        assertThat(r.out()).isEmpty();
        assertThat(dir.resolve("o.json")).doesNotExist();
        // embedded mode has no sidecar, so no agent image
        Run embedded = inject(td, "--mode", "embedded", "--embedded-image", "web=registry.example/web-ward:1");
        assertThat(embedded.code()).as(embedded.err()).isZero();
        // by tag: said, as ECS resolves a tag again at every start; by digest: nothing to say
        // by a tag whose registry cannot be read (here: offline): written as given, and said
        Run tag = inject(td, "--agent-image", "registry.example/ward-agent:1");
        assertThat(tag.code()).as(tag.err()).isZero();
        assertThat(tag.err()).contains("the agent image registry.example/ward-agent:1 is a tag, not a digest")
                .contains("its digest could not be read");
        assertThat(tag.out()).contains("\"registry.example/ward-agent:1\"");
        assertThat(inject(td, "--agent-image", AGENT).err()).doesNotContain("not a digest");
    }

    @Test
    @Tag("process")
    void anAgentImageGivenByTagIsPinnedToTheDigestItsRegistryHas() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            LocalRegistry.Pushed agent = registry.push("team/ward-agent", "1", LocalRegistry.Format.OCI,
                    TestImage.linux("amd64").withEntrypoint("/ward/bin/java", "@/ward/ward.args", "version"));
            Run r = inject(offlineTask(), "--agent-image", registry.host() + "/team/ward-agent:1");
            assertThat(r.code()).as(r.err()).isZero();
            String pinned = registry.host() + "/team/ward-agent@" + agent.digest();
            assertThat(InjectGoldenTest.JSON.readTree(r.out()).at("/containerDefinitions/1/image").asText()).isEqualTo(pinned);
            assertThat(r.err()).contains("is pinned to the digest its registry has now: " + pinned);
            // Kubernetes: the init container's image likewise
            Run k8s = inject("src/test/resources/inputs/eks-armored-application.yaml", "--agent-image",
                    registry.host() + "/team/ward-agent:1", "--container", "armored-container");
            assertThat(k8s.code()).as(k8s.err()).isZero();
            assertThat(k8s.out()).contains("image: " + pinned);
        }
    }

    @Test
    void aRelayNeedsItsTokenAtInjectTime() throws Exception {
        String td = offlineTask();
        Run r = inject(td, "--agent-image", AGENT, "--relay", "relay.internal:32767");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--relay needs the agents' token: --relay-token-secret").contains("--relay-token-env");
        Run unset = inject(td, "--agent-image", AGENT, "--relay", "relay.internal:32767", "--relay-token-env",
                "WARD_TEST_NO_SUCH_VARIABLE");
        assertThat(unset.code()).isEqualTo(2);
        assertThat(unset.err()).contains("environment variable WARD_TEST_NO_SUCH_VARIABLE is not set or empty");
        // tests and development: the value of a variable of inject's environment, as a plain value (HOME is one
        // every test run has)
        Run dev = inject(td, "--agent-image", AGENT, "--relay", "relay.internal:32767", "--relay-token-env", "HOME");
        assertThat(dev.code()).as(dev.err()).isZero();
        JsonNode env = InjectGoldenTest.JSON.readTree(dev.out()).at("/containerDefinitions/0/environment");
        assertThat(env.toString()).contains("{\"name\":\"WARD_RELAY_TOKEN\",\"value\":"
                + InjectGoldenTest.JSON.writeValueAsString(System.getenv("HOME")) + "}");
        assertThat(dev.err()).contains("for tests and development only");
        Run k8s = inject("src/test/resources/inputs/eks-armored-application.yaml", "--agent-image", AGENT, "--relay",
                "relay:1", "--relay-token-env", "HOME", "--container", "armored-container");
        assertThat(k8s.code()).as(k8s.err()).isZero();
        assertThat(k8s.out()).contains("name: WARD_RELAY_TOKEN");
    }

    @Test
    @Tag("process")
    void readsTheEntrypointFromTheImageInARealRegistry() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            TestImage image = TestImage.linux("amd64").withEntrypoint("/docker-entrypoint.sh")
                    .withCmd("nginx", "-g", "daemon off;").withUser("101");
            registry.push("web", "1", LocalRegistry.Format.OCI, image);
            Path td = Files.writeString(dir.resolve("td.json"), """
                    {"family": "web", "containerDefinitions": [{"name": "web", "image": "%s/web:1", "essential": true}]}
                    """.formatted(registry.host()));
            Path out = dir.resolve("out.json");
            Run r = inject(td.toString(), "--agent-image", AGENT, "-o", out.toString());
            assertThat(r.code()).as(r.err()).isZero();
            String json = Files.readString(out);
            // one-line input, one-line output
            assertThat(json).endsWith("}\n").hasLineCount(1);
            assertThat(InjectGoldenTest.strings(InjectGoldenTest.JSON.readTree(json).at("/containerDefinitions/0/entryPoint")))
                    .containsExactly(InjectGoldenTest.agentArgv("/docker-entrypoint.sh", "nginx", "-g", "daemon off;"));
            assertThat(InjectGoldenTest.JSON.readTree(json).at("/containerDefinitions/0").has("user")).isFalse();
            assertThat(json).doesNotContain("SYS_PTRACE");
            assertThat(r.err()).contains("runs as user 101 (the image's USER)");

            Path missing = Files.writeString(dir.resolve("missing.json"), """
                    {"family": "web", "containerDefinitions": [{"name": "api", "image": "%s/nope:1"}]}
                    """.formatted(registry.host()));
            Run bad = inject(missing.toString(), "--agent-image", AGENT, "-o", dir.resolve("never.json").toString());
            assertThat(bad.code()).isEqualTo(1);
            assertThat(bad.err()).contains("container api").contains("nope:1").contains("nothing was written")
                    .contains("ways forward").contains("--registry-auth").contains("podman login");
            assertThat(dir.resolve("never.json")).doesNotExist();
        }
    }

    @Test
    void registerSendsTheProtectedDefinitionToTheEcsApiAndUpdatesTheService() throws Exception {
        java.util.List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<String> targets = new java.util.concurrent.CopyOnWriteArrayList<>();
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            targets.add(target);
            String reply = target.endsWith("RegisterTaskDefinition")
                    ? "{\"taskDefinition\":{\"taskDefinitionArn\":\"arn:aws:ecs:us-east-1:123456789012:task-definition/webserver:4\"}}"
                    : "{\"service\":{\"serviceName\":\"web\"}}";
            byte[] b = reply.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        try {
            Run r = inject(Path.of("src/test/resources/inputs/aws-fargate-webserver-describe.json").toString(), "--agent-image",
                    "ward-agent:1", "-o", dir.resolve("out.json").toString(), "--register", "--region", "us-east-1",
                    "--endpoint-url", "http://127.0.0.1:" + server.getAddress().getPort(), "--update-service", "web",
                    "--cluster", "prod");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(targets).containsExactly("AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition",
                    "AmazonEC2ContainerServiceV20141113.UpdateService");
            assertThat(bodies.get(0)).contains("\"family\":\"webserver\"").doesNotContain("taskDefinitionArn").contains("\"/ward/bin/java\"")
                    .contains("\"sourceContainer\":\"ward-agent\"");
            assertThat(bodies.get(1)).contains("\"cluster\":\"prod\"").contains("\"service\":\"web\"")
                    .contains("task-definition/webserver:4");
            assertThat(r.err()).contains("registered arn:aws:ecs:us-east-1:123456789012:task-definition/webserver:4");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
            server.stop(0);
        }
    }

    @Test
    @Tag("process")
    void arm64TasksReadTheArm64ImageOfAMultiPlatformIndex() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            registry.pushIndex("multi", "1", LocalRegistry.Format.OCI, java.util.List.of(
                    TestImage.linux("amd64").withCmd("/bin/amd64-server"),
                    TestImage.linux("arm64").withCmd("/bin/arm64-server")));
            String td = """
                    {"family": "m", "runtimePlatform": {"cpuArchitecture": "%s"},
                     "containerDefinitions": [{"name": "m", "image": "%s/multi:1"}]}
                    """;
            Path arm = Files.writeString(dir.resolve("arm.json"), td.formatted("ARM64", registry.host()));
            Run r = inject(arm.toString(), "--agent-image", AGENT);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("\"/bin/arm64-server\"").doesNotContain("amd64-server");
            Path x86 = Files.writeString(dir.resolve("x86.json"), td.formatted("X86_64", registry.host()));
            assertThat(inject(x86.toString(), "--agent-image", AGENT).out()).contains("\"/bin/amd64-server\"");
            // --platform overrides the task's own
            assertThat(inject(x86.toString(), "--agent-image", AGENT, "--platform", "linux/arm64").out()).contains("\"/bin/arm64-server\"");
        }
    }

    @Test
    void anInvalidPolicyIsRefusedWithItsPositionAndNothingIsWritten() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), PolicyYaml.named("bad").container("armored-container")
                .spec("""
                        process:
                          matchPaths:
                            - path: /bin/sh
                        action: Explode
                        """));
        Path out = dir.resolve("out.json");
        Run r = inject("src/test/resources/inputs/kubearmor-socat-sample.json", "--agent-image", AGENT, "--policy", policy.toString(), "-o",
                out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("policy.yaml:12:").contains("Explode").contains("nothing was written");
        assertThat(out).doesNotExist();
        // a valid one is embedded as WARD_POLICY, as written
        Path good = Files.writeString(dir.resolve("good.yaml"), Files.readString(policy).replace("Explode", "Block"));
        Run ok = inject("src/test/resources/inputs/lacework-nginx-nonrootasroot-sidecar.json", "--agent-image", AGENT, "--replace-agents",
                "--policy", good.toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        JsonNode env = InjectGoldenTest.JSON.readTree(ok.out()).at("/containerDefinitions/0/environment");
        assertThat(env.findValuesAsText("name")).contains("WARD_POLICY");
        assertThat(ok.out()).contains(InjectGoldenTest.JSON.writeValueAsString(Files.readString(good)));
    }

    @Test
    @Tag("process")
    void aContainerWithNoCommandAnywhereIsNamed() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            registry.push("empty", "1", LocalRegistry.Format.DOCKER, TestImage.linux("amd64"));
            Path td = Files.writeString(dir.resolve("td.json"), """
                    {"family": "e", "containerDefinitions": [{"name": "blank", "image": "%s/empty:1"}]}
                    """.formatted(registry.host()));
            Run r = inject(td.toString(), "--agent-image", AGENT, "-o", dir.resolve("o.json").toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("container blank: no command to run");
            assertThat(dir.resolve("o.json")).doesNotExist();
        }
    }

    @Test
    void optionMistakesAreRefusedBeforeAnythingIsRead() {
        String td = "src/test/resources/inputs/kubearmor-socat-sample.json";
        assertThat(inject(td, "--agent-image", AGENT, "--update-service", "web").err()).contains("--update-service needs --register");
        assertThat(inject(td, "--agent-image", AGENT, "--env", "PATH=/x").err()).contains("--env PATH: only Ward's own settings");
        assertThat(inject(td, "--agent-image", AGENT, "--format", "helm").err()).contains("--format must be ecs, cloudformation or kubernetes");
        assertThat(inject(td, "--mode", "inline").err()).contains("--mode must be sidecar or embedded");
        assertThat(inject(td, "--embedded-image", "a=b").err()).contains("--embedded-image needs --mode embedded");
        Run k8s = inject("src/test/resources/inputs/eks-armored-application.yaml", "--agent-image", AGENT, "--register");
        assertThat(k8s.code()).isEqualTo(2);
        assertThat(k8s.err()).contains("--register takes an ECS task definition; this is kubernetes");
        assertThat(inject("nope.json", "--agent-image", AGENT).err()).contains("nope.json: no such file");
    }

    @Test
    void formatsAreToldByContentOrNamed() throws Exception {
        // a task definition with unusual key order still reads as ECS; YAML without apiVersion needs --format
        Run k8s = inject("src/test/resources/inputs/eks-armored-application.yaml", "--agent-image", "a:1", "--container",
                "armored-container");
        assertThat(k8s.code()).as(k8s.err()).isZero();
        assertThat(k8s.out()).contains("ward-install");
        Path odd = Files.writeString(dir.resolve("odd.txt"), "hello: world\n");
        Run unknown = inject(odd.toString(), "--agent-image", AGENT);
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("name the format with --format");
        Run forced = inject(odd.toString(), "--agent-image", AGENT, "--format", "kubernetes");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(forced.out()).isEqualTo("hello: world\n");
        assertThat(forced.err()).contains("no pod template to protect");
        Path windows = Files.writeString(dir.resolve("win.json"), """
                {"family": "w", "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
                 "containerDefinitions": [{"name": "iis", "image": "mcr.microsoft.com/windows/servercore/iis",
                   "entryPoint": ["powershell"]}]}
                """);
        Run w = inject(windows.toString(), "--agent-image", AGENT);
        assertThat(w.code()).isEqualTo(1);
        assertThat(w.err()).contains("WINDOWS_SERVER_2022_CORE: Ward protects Linux containers only");
    }

    @Test
    void invalidYamlNamesFileLineAndColumn() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "apiVersion: v1\nkind: Pod\nspec:\n  containers: [\n");
        Run r = inject(bad.toString(), "--agent-image", AGENT, "-o", dir.resolve("o.yaml").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bad.yaml:5:1: invalid YAML");
        assertThat(dir.resolve("o.yaml")).doesNotExist();
    }

    @Test
    void jsonKeepsTheInputsIndentation() throws Exception {
        Run r = inject("src/test/resources/inputs/lacework-nginx-nonrootasroot-sidecar.json", "--agent-image", "a:1",
                "--replace-agents");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("{\n    \"family\": \"nginx-nonrootasroot-sidecar\",\n");
    }
}
