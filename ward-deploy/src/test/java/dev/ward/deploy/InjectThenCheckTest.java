package dev.ward.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.check.Checker;
import dev.ward.check.Finding;
import dev.ward.check.Severity;
import dev.ward.check.rules.RuleContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ward's output passes Ward's own check: the Cruddur backend (seed 001) and the other seeds' tasks, injected in
 * sidecar and embedded mode, then checked with ward check's rules. What the input already had stays; what
 * inject adds (the agent container, SYS_PTRACE, the entry point) raises nothing at medium or above, and every
 * protected container is recognised as protected.
 */
class InjectThenCheckTest {
    /** As users are told to name it: their own ECR repository, by digest. */
    static final String AGENT = "238967891447.dkr.ecr.eu-west-2.amazonaws.com/ward-agent@sha256:"
            + "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    @ParameterizedTest
    @ValueSource(strings = {"backend-flask", "kubearmor-socat-sample", "lacework-nginx-root-sidecar",
        "aws-fargate-webserver-describe", "aws-fargate-splunk"})
    void sidecarModeAddsNoFindingAtMediumOrAbove(String name) throws Exception {
        String input = Files.readString(InjectGoldenTest.INPUTS.resolve(name + ".json"));
        var options = new InjectOptions(InjectOptions.Mode.SIDECAR, AGENT, List.of(), Map.of(), "relay.internal:32767",
                null, InjectGoldenTest.TOKEN_ARN, Map.of()).replacingAgents();
        ObjectNode out = new EcsInjector(options, InjectGoldenTest.IMAGES).inject((ObjectNode) InjectGoldenTest.JSON.readTree(input));
        assertNothingNew(name, input, InjectCommand.write(out));
    }

    @ParameterizedTest
    @ValueSource(strings = {"backend-flask", "kubearmor-socat-sample"})
    void embeddedModeIsRecognisedAsProtected(String name) throws Exception {
        String input = Files.readString(InjectGoldenTest.INPUTS.resolve(name + ".json"));
        ObjectNode td = (ObjectNode) InjectGoldenTest.JSON.readTree(input);
        String container = td.at("/containerDefinitions/0/name").asText();
        var options = new InjectOptions(InjectOptions.Mode.EMBEDDED, null, List.of(),
                Map.of(container, "238967891447.dkr.ecr.eu-west-2.amazonaws.com/" + container + "-ward@sha256:"
                        + "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"),
                "relay.internal:32767", null, InjectGoldenTest.TOKEN_ARN, Map.of());
        ObjectNode out = new EcsInjector(options, InjectGoldenTest.IMAGES).inject(td);
        assertNothingNew(name, input, InjectCommand.write(out));
    }

    @org.junit.jupiter.api.Test
    void kubernetesManifestsToo() throws Exception {
        // seed 002's armored application (and its CronJob), on EKS Fargate: the init container and the protected
        // containers add nothing at medium or above either
        String name = "eks-armored-application.yaml";
        String input = Files.readString(InjectGoldenTest.INPUTS.resolve(name));
        var options = new InjectOptions(InjectOptions.Mode.SIDECAR, AGENT, List.of(), Map.of(), "relay:32767", null,
                "ward-relay/token", Map.of());
        String output = new KubernetesInjector(options, InjectGoldenTest.IMAGES).inject(name, input);
        assertNothingNew(name, input, output);
    }

    @org.junit.jupiter.api.Test
    void injectDashPipedIntoCheckDash() throws Exception {
        // ward inject - < task.json | ward check -: both read standard input
        java.io.InputStream savedIn = System.in;
        java.io.PrintStream savedOut = System.out;
        java.io.PrintStream savedErr = System.err;
        try {
            System.setIn(Files.newInputStream(InjectGoldenTest.INPUTS.resolve("lacework-nginx-nonrootasroot-sidecar.json")));
            var injected = new java.io.ByteArrayOutputStream();
            System.setOut(new java.io.PrintStream(injected, true, java.nio.charset.StandardCharsets.UTF_8));
            System.setErr(new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true));
            int code = new picocli.CommandLine(new InjectCommand()).execute("-", "--agent-image", AGENT, "--replace-agents");
            assertThat(code).isZero();

            System.setIn(new java.io.ByteArrayInputStream(injected.toByteArray()));
            var out = new java.io.StringWriter();
            var err = new java.io.StringWriter();
            var check = new picocli.CommandLine(new dev.ward.check.CheckCommand());
            check.setOut(new java.io.PrintWriter(out));
            check.setErr(new java.io.PrintWriter(err));
            int checked = check.execute("-", "-o", "json", "--fail-on", "info");
            assertThat(checked).as(err.toString()).isNotEqualTo(2);
            assertThat(err.toString()).doesNotContain("no such file");
            assertThat(out.toString()).contains("\"file\" : \"-\"").contains("\"filesChecked\" : 1")
                    .doesNotContain("WARD-ECS-024"); // protected, and seen so
        } finally {
            System.setIn(savedIn);
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    private static void assertNothingNew(String name, String input, String output) throws Exception {
        String file = name.contains(".") ? name : name + ".json";
        Checker checker = new Checker(RuleContext.defaults(), List.of(), Path.of("."));
        List<String> before = describe(checker.checkText(file, input), Severity.MEDIUM);
        List<Finding> after = checker.checkText(file, output);
        assertThat(describe(after, Severity.MEDIUM)).as("findings at medium or above after inject")
                .isSubsetOf(before);
        assertThat(after).as("every protected container is seen as protected")
                .noneMatch(f -> f.rule().name().equals("NoRuntimeProtection"));
        assertThat(after).as("the SYS_PTRACE Ward adds is Ward's")
                .noneMatch(f -> f.rule().name().equals("SysPtraceAdded"));
    }

    /**
     * Rule, container and field: a finding's identity across the two documents (lines move, and messages name the
     * image, which embedded mode replaces).
     */
    private static List<String> describe(List<Finding> findings, Severity atLeast) {
        return findings.stream().filter(f -> f.severity().atLeast(atLeast))
                .map(f -> f.rule().id() + " " + f.rule().name() + " " + f.container() + " "
                        + f.loc().path().replace("$.taskDefinition.", "$.")).toList(); // inject unwraps describe output
    }
}
