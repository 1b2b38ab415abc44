package dev.ward.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.agent.WardVersion;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyLoader;
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
        description = {"Protect an ECS task definition or Kubernetes manifests: each chosen container starts under the Ward agent.",
            "Input: register-task-definition JSON, describe-task-definition output, or Kubernetes YAML (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod). Entry points the task "
                + "definition does not set are read from the image in its registry.",
            "Sidecar mode (default) adds the agent image as a non-essential container whose /ward volume the "
                + "application mounts read-only; embedded mode uses images made by 'ward image embed'."},
        footer = {"", "Example:",
            "  ward inject task.json --relay relay.internal:32767 \\",
            "    --relay-token-secret arn:aws:ssm:eu-west-1:123456789012:parameter/ward/token -o protected.json"})
public final class InjectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TASKDEF", description = "task definition JSON")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write here (atomically) instead of stdout")
    Path output;

    @Option(names = "--mode", paramLabel = "sidecar|embedded", defaultValue = "sidecar",
            description = "sidecar (default) or embedded")
    String mode;

    @Option(names = "--agent-image", paramLabel = "REF", description = "agent image for the sidecar (default: ward-agent:VERSION)")
    String agentImage;

    @Option(names = "--container", paramLabel = "NAME", description = "container to protect (repeatable; default: every essential one)")
    List<String> containers = new ArrayList<>();

    @Option(names = "--embedded-image", paramLabel = "CONTAINER=IMAGE", description = "embedded mode: the image made by ward image embed")
    Map<String, String> embedded = new LinkedHashMap<>();

    @Option(names = "--relay", paramLabel = "HOST:PORT", description = "the relay the agents connect to (RELAYSERVERURL)")
    String relay;

    @Option(names = "--relay-token-secret", paramLabel = "ARN",
            description = "SSM parameter or Secrets Manager ARN holding the relay's agent token (becomes a 'secrets' entry)")
    String tokenSecret;

    @Option(names = "--policy", paramLabel = "FILE", description = "KubeArmorPolicy YAML to embed as WARD_POLICY")
    Path policy;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "another Ward setting (WARD_LOG_FILTER=all, ...)")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--platform", paramLabel = "OS/ARCH", description = "image platform (default: the task's runtimePlatform, else linux/amd64)")
    String platform;

    @Mixin
    RegistryOptions registry;

    @Option(names = "--register", description = "register the result with ECS (AWS credentials from the usual chain)")
    boolean register;

    @Option(names = "--update-service", paramLabel = "SERVICE", description = "with --register: move this service to the new revision")
    String updateService;

    @Option(names = "--cluster", paramLabel = "CLUSTER", description = "the service's cluster (default: default)")
    String cluster;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region (default: the SDK's: AWS_REGION, profile)")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "ECS API endpoint (VPC endpoints, tests)")
    java.net.URI endpoint;

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    @Override
    public Integer call() throws Exception {
        String text;
        try {
            text = Files.readString(input, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            System.err.println("ward inject: " + input + ": no such file");
            return 2;
        }
        for (String k : env.keySet()) {
            if (k.equals("WARD_RELAY_TOKEN")) {
                System.err.println("ward inject: --env WARD_RELAY_TOKEN: a token must not be a plain environment value; "
                        + "store it in SSM Parameter Store or Secrets Manager and give --relay-token-secret ARN");
                return 2;
            }
        }
        String policyYaml = null;
        if (policy != null) {
            try {
                policyYaml = Files.readString(policy, StandardCharsets.UTF_8);
                PolicyLoader.load(List.of(policy));
            } catch (PolicyException e) {
                System.err.print(e.format());
                System.err.println("ward inject: " + policy + ": fix the policy first; nothing was written");
                return 2;
            }
        }
        InjectOptions.Mode m = switch (mode) {
            case "sidecar" -> InjectOptions.Mode.SIDECAR;
            case "embedded" -> InjectOptions.Mode.EMBEDDED;
            default -> null;
        };
        if (m == null) {
            System.err.println("ward inject: --mode must be sidecar or embedded, got '" + mode + "'");
            return 2;
        }
        InjectOptions options = new InjectOptions(m, agentImage != null ? agentImage : "ward-agent:" + WardVersion.version(),
                containers, embedded, relay, policyYaml, tokenSecret, env);
        dev.ward.registry.ImageConfigSource source = (image, p) -> registry.client().config(image,
                platform != null ? dev.ward.registry.Platform.parse(platform) : p);
        String stripped = text.stripLeading();
        if (CloudFormationInjector.looksLike(text)) {
            CloudFormationInjector cfn = new CloudFormationInjector(options, source);
            String out;
            try {
                if (stripped.startsWith("{")) {
                    JsonNode t = JSON.readTree(text);
                    if (!(t instanceof ObjectNode template)) {
                        System.err.println("ward inject: " + input + ": expected a CloudFormation template object");
                        return 2;
                    }
                    out = write(cfn.injectJson(template));
                } else {
                    out = cfn.injectYaml(input.toString(), text);
                }
            } catch (JsonProcessingException e) {
                var loc = e.getLocation();
                System.err.println("ward inject: " + input + (loc != null ? ":" + loc.getLineNr() + ":" + loc.getColumnNr()
                        : "") + ": invalid JSON: " + e.getOriginalMessage());
                return 2;
            } catch (InjectException e) {
                System.err.println("ward inject: " + input + ": " + e.getMessage());
                System.err.println("ward inject: nothing was written");
                return 1;
            }
            emit(out);
            cfn.notes().forEach(n -> System.err.println("ward inject: " + n));
            return 0;
        }
        if (!stripped.startsWith("{") && KubernetesInjector.looksLike(text)) {
            KubernetesInjector k8s = new KubernetesInjector(options, source);
            String out;
            try {
                out = k8s.inject(input.toString(), text);
            } catch (InjectException e) {
                System.err.println("ward inject: " + input + ": " + e.getMessage());
                System.err.println("ward inject: nothing was written");
                return 1;
            }
            emit(out);
            k8s.notes().forEach(n -> System.err.println("ward inject: " + n));
            return 0;
        }
        if (!stripped.startsWith("{")) {
            System.err.println("ward inject: " + input + ": expected an ECS task definition (JSON), a CloudFormation "
                    + "template (JSON or YAML) or Kubernetes manifests (YAML with apiVersion and kind)");
            return 2;
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            System.err.println("ward inject: " + input + (loc != null ? ":" + loc.getLineNr() + ":" + loc.getColumnNr() : "")
                    + ": invalid JSON: " + e.getOriginalMessage());
            return 2;
        }
        if (!(doc instanceof ObjectNode obj)) {
            System.err.println("ward inject: " + input + ": expected a JSON object (a task definition)");
            return 2;
        }
        EcsInjector injector = new EcsInjector(options, source);
        ObjectNode result;
        try {
            result = injector.inject(obj);
        } catch (InjectException e) {
            System.err.println("ward inject: " + input + ": " + e.getMessage());
            System.err.println("ward inject: nothing was written");
            return 1;
        }
        emit(write(result));
        injector.notes().forEach(n -> System.err.println("ward inject: " + n));
        if (register) {
            return register(result);
        }
        if (updateService != null) {
            System.err.println("ward inject: --update-service needs --register");
            return 2;
        }
        return 0;
    }

    /** RegisterTaskDefinition with the result (parsed by the SDK's own model), then UpdateService if asked. */
    private int register(ObjectNode td) {
        software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest request;
        try {
            request = JSON.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true).treeToValue(td,
                    software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest.serializableBuilderClass()).build();
        } catch (JsonProcessingException e) {
            System.err.println("ward inject: the result does not fit ECS's RegisterTaskDefinition: " + e.getOriginalMessage());
            return 1;
        }
        var builder = software.amazon.awssdk.services.ecs.EcsClient.builder()
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create());
        if (region != null) {
            builder.region(software.amazon.awssdk.regions.Region.of(region));
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        try (var ecs = builder.build()) {
            String arn = ecs.registerTaskDefinition(request).taskDefinition().taskDefinitionArn();
            System.err.println("ward inject: registered " + arn);
            if (updateService != null) {
                ecs.updateService(u -> u.cluster(cluster).service(updateService).taskDefinition(arn));
                System.err.println("ward inject: service " + updateService + " updated to " + arn);
            }
            return 0;
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            System.err.println("ward inject: ECS refused or could not be reached: " + e.getMessage());
            return 1;
        }
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
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n")).withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return JSON.writer(pp).writeValueAsString(node) + "\n";
    }
}
