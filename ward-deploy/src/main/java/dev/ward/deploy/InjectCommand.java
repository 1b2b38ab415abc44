package dev.ward.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyLoader;
import dev.ward.registry.ContainersStorage;
import dev.ward.registry.ImageConfigSource;
import dev.ward.registry.Platform;
import dev.ward.registry.cli.RegistryOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ward inject TASKDEF.json}: the protected task definition on stdout or {@code -o FILE}. */
@Command(name = "inject", mixinStandardHelpOptions = true,
        description = {"Protect an ECS task definition, a CloudFormation template or Kubernetes manifests: each chosen container "
                + "starts under the Ward agent.",
            "Input: register-task-definition JSON, describe-task-definition output, a CloudFormation template (JSON or "
                + "YAML) with AWS::ECS::TaskDefinition resources, or Kubernetes manifests (Deployment, StatefulSet, "
                + "DaemonSet, ReplicaSet, Job, CronJob, Pod). Entry points the input does not set are read from the "
                + "image in its registry, or in this machine's containers-storage (localhost/..., or when the registry "
                + "cannot give it).",
            "Other runtime-security agents in the input (Lacework, KubeArmor BlueLock, Sysdig, Prisma Cloud Defender) "
                + "are reported and the input refused, unless --replace-agents removes them.",
            "Sidecar mode (default) adds the agent image as a non-essential container whose /ward volume the "
                + "application mounts read-only; embedded mode uses images made by 'ward image embed'."},
        footer = {"", "Example:",
            "  ward inject task.json --agent-image REGISTRY/ward-agent:0.1.0 \\",
            "    --relay relay.internal:32767 \\",
            "    --relay-token-secret arn:aws:ssm:REGION:ACCOUNT:parameter/ward/token \\",
            "    -o protected.json"})
public final class InjectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE",
            description = "task definition JSON, CloudFormation template or Kubernetes manifests ('-': standard input)")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write here (atomically) instead of stdout")
    Path output;

    @Option(names = "--format", paramLabel = "ecs|cloudformation|kubernetes",
            description = "the input's format (default: told by its content)")
    String format;

    @Option(names = "--mode", paramLabel = "sidecar|embedded", defaultValue = "sidecar",
            description = "sidecar (default) or embedded")
    String mode;

    @Option(names = "--agent-image", paramLabel = "REF",
            description = "agent image for the sidecar (required in sidecar mode): " + AgentImages.BUILD + " makes one")
    String agentImage;

    @Option(names = "--container", paramLabel = "NAME", description = "container to protect (repeatable; default: every essential one)")
    List<String> containers = new ArrayList<>();

    @Option(names = "--embedded-image", paramLabel = "CONTAINER=IMAGE", description = "embedded mode: the image made by ward image embed")
    Map<String, String> embedded = new LinkedHashMap<>();

    @Option(names = "--relay", paramLabel = "HOST:PORT", description = "the relay the agents connect to (RELAYSERVERURL)")
    String relay;

    @Option(names = "--relay-token-secret", paramLabel = "ARN|SECRET/KEY",
            description = "SSM parameter or Secrets Manager ARN holding the relay's agent token (becomes a 'secrets' entry); "
                    + "Kubernetes: Secret name/key (a secretKeyRef)")
    String tokenSecret;

    @Option(names = "--relay-token-env", paramLabel = "VAR",
            description = "tests and development: the relay token is the value of this environment variable, written "
                    + "into the output as a plain WARD_RELAY_TOKEN value (use --relay-token-secret for real deployments)")
    String tokenEnv;

    @Option(names = "--replace-agents",
            description = "remove other runtime-security agents found in the input (Lacework, KubeArmor BlueLock, Sysdig, "
                    + "Prisma Cloud Defender: launcher, sidecar, settings) instead of refusing it")
    boolean replaceAgents;

    @Option(names = "--policy", paramLabel = "FILE", description = "KubeArmorPolicy YAML to embed as WARD_POLICY")
    Path policy;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "another Ward setting (WARD_LOG_FILTER=all, ...)")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--mesh", description = "the protected containers join Ward's mesh (WARD_MESH=on, port 15008): "
            + "mutual TLS between tasks with identities from the relay's CA; needs --relay")
    boolean mesh;

    @Option(names = "--mesh-identity", paramLabel = "NS/SA",
            description = "with --mesh: the identity to bind or enroll (default: the manifest's namespace and service "
                    + "account; ECS: default and the task family)")
    String meshIdentity;

    @Option(names = "--mesh-token-secret", paramLabel = "ARN|SECRET/KEY",
            description = "with --mesh: where the enrollment token from 'ward mesh enroll' is kept (becomes the "
                    + "WARD_MESH_TOKEN secret); without it the task's IAM role earns the identity ('ward mesh bind')")
    String meshTokenSecret;

    @Option(names = "--mesh-strict", description = "with --mesh: the application's ports answer only through the "
            + "mesh (WARD_MESH_INBOUND=strict)")
    boolean meshStrict;

    @Option(names = "--platform", paramLabel = "OS/ARCH", description = "image platform (default: the task's runtimePlatform, else linux/amd64)")
    String platform;

    @Mixin
    RegistryOptions registry;

    @Option(names = "--register", description = "register the result with ECS (AWS credentials from the usual chain)")
    boolean register;

    @Option(names = "--update-service", paramLabel = "SERVICE", description = "with --register: move this service to the new revision")
    String updateService;

    @Option(names = "--cluster", paramLabel = "CLUSTER", description = "the service's cluster (default: ECS's default cluster)")
    String cluster;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region (default: the SDK's: AWS_REGION, profile)")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "ECS API endpoint (VPC endpoints, tests)")
    java.net.URI endpoint;

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    @Override
    public Integer call() throws Exception {
        String problem = checkOptions();
        if (problem != null) {
            System.err.println("ward inject: " + problem);
            return 2;
        }
        String text;
        try {
            text = input.toString().equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(input, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            System.err.println("ward inject: " + input + ": no such file");
            return 2;
        }
        String policyYaml = null;
        if (policy != null) {
            try {
                policyYaml = Files.readString(policy, StandardCharsets.UTF_8);
                PolicyLoader.load(List.of(policy));
            } catch (NoSuchFileException e) {
                System.err.println("ward inject: --policy " + policy + ": no such file");
                return 2;
            } catch (PolicyException e) {
                System.err.print(e.format());
                System.err.println("ward inject: " + policy + ": fix the policy first; nothing was written");
                return 2;
            }
        }
        Format fmt = format != null ? Format.parse(format) : Format.detect(text);
        if (fmt == null) {
            System.err.println("ward inject: " + input + ": expected an ECS task definition (JSON), a CloudFormation "
                    + "template (JSON or YAML) or Kubernetes manifests (YAML or JSON with apiVersion and kind); "
                    + "name the format with --format if it is one of them");
            return 2;
        }
        if (register && fmt != Format.ECS) {
            System.err.println("ward inject: --register takes an ECS task definition; this is " + fmt.flag
                    + " (deploy it with its own tool)");
            return 2;
        }
        InjectOptions options = new InjectOptions(InjectOptions.Mode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)),
                agentImage, containers, embedded, relay, policyYaml, tokenSecret, env,
                tokenEnv != null ? System.getenv(tokenEnv) : null, replaceAgents, meshOptions());
        Platform forced = platform != null ? Platform.parse(platform) : null;
        List<String> sourceNotes = new ArrayList<>();
        ImageConfigSource source = new ImageSources(registry::client, new ContainersStorage(), forced, sourceNotes);
        boolean json = text.stripLeading().startsWith("{");
        String out;
        List<String> notes;
        ObjectNode registered = null;
        try {
            switch (fmt) {
                case ECS -> {
                    EcsInjector ecs = new EcsInjector(options, source);
                    registered = ecs.inject(object(text, "a task definition"));
                    out = write(registered, JsonText.indentOf(text));
                    notes = ecs.notes();
                }
                case CLOUDFORMATION -> {
                    CloudFormationInjector cfn = new CloudFormationInjector(options, source);
                    out = json ? write(cfn.injectJson(object(text, "a CloudFormation template")), JsonText.indentOf(text))
                            : cfn.injectYaml(input.toString(), text);
                    notes = cfn.notes();
                }
                case KUBERNETES -> {
                    KubernetesInjector k8s = new KubernetesInjector(options, source);
                    out = json ? write(k8s.injectJson(object(text, "a Kubernetes object")), JsonText.indentOf(text))
                            : k8s.inject(input.toString(), text);
                    notes = k8s.notes();
                }
                default -> throw new IllegalStateException(fmt.toString());
            }
        } catch (InjectException e) {
            System.err.println("ward inject: " + (e.located() ? "" : input + ": ") + e.getMessage());
            System.err.println("ward inject: nothing was written");
            return e.exitCode();
        }
        emit(out);
        sourceNotes.forEach(n -> System.err.println("ward inject: " + n));
        notes.forEach(n -> System.err.println("ward inject: " + n));
        return register ? new Registration(region, endpoint, updateService, cluster).register(registered) : 0;
    }

    /** Problems with the options alone, before anything is read. */
    private String checkOptions() {
        if (!mode.equals("sidecar") && !mode.equals("embedded")) {
            return "--mode must be sidecar or embedded, got '" + mode + "'";
        }
        if (!embedded.isEmpty() && mode.equals("sidecar")) {
            return "--embedded-image needs --mode embedded";
        }
        if (agentImage == null && mode.equals("sidecar")) {
            return AgentImages.required();
        }
        String token = checkToken();
        if (token != null) {
            return token;
        }
        if (format != null) {
            try {
                Format.parse(format);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        if (platform != null) {
            try {
                Platform.parse(platform);
            } catch (IllegalArgumentException e) {
                return "--platform: " + e.getMessage();
            }
        }
        for (String k : env.keySet()) {
            if (k.equals("WARD_RELAY_TOKEN")) {
                return "--env WARD_RELAY_TOKEN: a token must not be a plain environment value; store it in SSM "
                        + "Parameter Store or Secrets Manager and give --relay-token-secret ARN (Kubernetes: SECRET/KEY), or for tests "
                        + "--relay-token-env VAR";
            }
            if (!k.matches("WARD_[A-Z0-9_]+")) {
                return "--env " + k + ": only Ward's own settings (WARD_*) are set this way; CONTAINERNAME and "
                        + "RELAYSERVERURL have --container and --relay";
            }
        }
        String meshProblem = checkMesh();
        if (meshProblem != null) {
            return meshProblem;
        }
        if (updateService != null && !register) {
            return "--update-service needs --register (the service moves to the revision registered)";
        }
        if (cluster != null && updateService == null) {
            return "--cluster goes with --update-service";
        }
        return null;
    }

    private String checkMesh() {
        if (!mesh && (meshIdentity != null || meshTokenSecret != null || meshStrict)) {
            return "--mesh-identity, --mesh-token-secret and --mesh-strict go with --mesh";
        }
        if (meshIdentity != null && !meshIdentity.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-.a-z0-9]*[a-z0-9])?")) {
            return "--mesh-identity " + meshIdentity + ": expected NAMESPACE/SERVICE_ACCOUNT (lower-case DNS names, "
                    + "e.g. ecs/echo-service)";
        }
        if (env.containsKey(MeshInjection.TOKEN)) {
            return "--env " + MeshInjection.TOKEN + ": an enrollment token must not be a plain environment value; "
                    + "store it and give --mesh-token-secret";
        }
        return null;
    }

    private InjectOptions.Mesh meshOptions() {
        if (!mesh) {
            return null;
        }
        String[] id = meshIdentity != null ? meshIdentity.split("/", 2) : null;
        return new InjectOptions.Mesh(id != null ? id[0] : null, id != null ? id[1] : null, meshTokenSecret,
                meshStrict);
    }

    /** The relay needs a token: from a secret store, or (tests, development) from an environment variable. */
    private String checkToken() {
        if (tokenEnv != null && tokenSecret != null) {
            return "--relay-token-env and --relay-token-secret: give one (the secret for deployments)";
        }
        if (tokenEnv != null && (System.getenv(tokenEnv) == null || System.getenv(tokenEnv).isEmpty())) {
            return "--relay-token-env " + tokenEnv + ": environment variable " + tokenEnv + " is not set or empty";
        }
        if (relay != null && tokenSecret == null && tokenEnv == null) {
            return "--relay needs the agents' token: --relay-token-secret ARN (SSM Parameter Store or Secrets Manager; "
                    + "Kubernetes: SECRET/KEY), or for tests --relay-token-env VAR; without it the agent refuses to start "
                    + "the workload";
        }
        return null;
    }

    /** The document as a JSON object; a syntax error names file, line and column. */
    private ObjectNode object(String text, String what) throws InjectException {
        return JsonInput.object(input.toString(), text, what);
    }

    private void emit(String out) throws IOException {
        if (output == null) {
            System.out.print(out);
        } else {
            Path tmp = Files.createTempFile(output.toAbsolutePath().getParent(), ".ward-inject", ".json");
            try {
                Files.writeString(tmp, out, StandardCharsets.UTF_8);
                Files.move(tmp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Two-space indented JSON, arrays one element per line, with a final newline. */
    static String write(JsonNode node) throws IOException {
        return write(node, "  ");
    }

    /** JSON indented by {@code indent} (null: on one line), with a final newline. */
    static String write(JsonNode node, String indent) throws IOException {
        return JsonText.write(JSON, node, indent);
    }
}
