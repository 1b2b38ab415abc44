package dev.ward.check;

import static dev.ward.check.CliRun.run;
import static dev.ward.check.CliRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    @TempDir
    Path dir;

    private void clean() throws IOException {
        write(dir, "task.json", TestChecks.task().toPrettyString());
    }

    private void privileged() throws IOException {
        write(dir, "task.json", TestChecks.taskWith(c -> c.put("privileged", true)).toPrettyString());
    }

    @Test
    void exitZeroWhenClean() throws IOException {
        clean();
        CliRun r = run(dir, "task.json");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("No findings; 1 file checked. Nothing at or above high.");
    }

    @Test
    void exitOneOnFindingsAtOrAboveFailOn() throws IOException {
        privileged();
        CliRun r = run(dir, "task.json");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("critical WARD-ECS-005 (ECS.4)  task.json:").contains("1 at or above high: failing.");
    }

    @Test
    void failOnMovesTheThreshold() throws IOException {
        write(dir, "task.json", TestChecks.taskWith(c -> c.remove("healthCheck")).toPrettyString()); // one low finding
        assertThat(run(dir, "task.json").code()).isZero();
        assertThat(run(dir, "--fail-on", "low", "task.json").code()).isEqualTo(1);
        assertThat(run(dir, "--fail-on", "LOW", "task.json").code()).isEqualTo(1);
        privileged();
        assertThat(run(dir, "--fail-on", "critical", "task.json").code()).isEqualTo(1);
    }

    @Test
    void defaultPathIsTheWorkingDirectory() throws IOException {
        privileged();
        assertThat(run(dir).code()).isEqualTo(1);
    }

    @Test
    void malformedJsonIsExitTwoWithFileLineColumn() throws IOException {
        write(dir, "deploy/task.json", "{\n  \"family\": \"web\",\n  \"cpu\": ,\n}\n");
        CliRun r = run(dir, "deploy/task.json");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("deploy/task.json:3:10: error[WC101]: ").contains("    3 |   \"cpu\": ,");
    }

    @Test
    void malformedYamlIsExitTwoWithFileLineColumn() throws IOException {
        write(dir, "stack.yaml", "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties: [oops\n");
        CliRun r = run(dir, "stack.yaml");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).containsPattern("stack\\.yaml:\\d+:\\d+: error\\[WC102\\]: ");
    }

    @Test
    void namedFilesMustBeEcsInputs() throws IOException {
        write(dir, "package.json", "{\"name\": \"x\"}");
        CliRun r = run(dir, "package.json");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("package.json: error[WC103]: ");
        assertThat(run(dir, "missing.json").err()).contains("missing.json: error[WC106]: no such file or directory");
    }

    @Test
    void badOptionIsExitTwo() {
        CliRun r = run(dir, "--fail-on", "severe");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown severity 'severe'");
        assertThat(run(dir, "-o", "xml").code()).isEqualTo(2);
    }

    @Test
    void directoryWalkSkipsOtherFilesAndSaysSoWhenVerbose() throws IOException {
        privileged();
        write(dir, "tsconfig.json", "{ // comments are not JSON\n \"compilerOptions\": {} }");
        write(dir, "package.json", "{\"name\": \"x\"}");
        write(dir, ".github/workflows/ci.yml", "on: push\n");
        write(dir, "k8s/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\n");
        write(dir, "notes.txt", "containerDefinitions");
        CliRun quiet = run(dir, ".");
        assertThat(quiet.code()).isEqualTo(1);
        assertThat(quiet.err()).isEmpty();
        CliRun verbose = run(dir, "-v", ".");
        assertThat(verbose.err())
                .contains("skipped: tsconfig.json: not an ECS input and not valid JSON/YAML (tsconfig.json:1:3: ")
                .contains("skipped: package.json: not an ECS input")
                .contains("skipped: k8s/deploy.yaml: Kubernetes manifests without a pod template")
                .contains("checked: task.json (ECS task definition (register form), 1 resource)")
                .doesNotContain("ci.yml").doesNotContain("notes.txt");
    }

    @Test
    void brokenEcsFileInAWalkIsAnError() throws IOException {
        clean();
        write(dir, "broken.json", "{\"containerDefinitions\": [}");
        CliRun r = run(dir, ".");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("broken.json:1:27: error[WC101]");
        assertThat(r.out()).contains("1 file checked");
    }

    @Test
    void nothingToCheckIsSaid() throws IOException {
        write(dir, "package.json", "{\"name\": \"x\"}");
        CliRun r = run(dir, ".");
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("ward check: found no ECS task definition").contains("(-v lists the files skipped)");
        assertThat(r.out()).contains("0 files checked");
    }

    @Test
    void describeOutputCompatibilitiesDoNotMeanFargateIsRequired() throws IOException {
        var td = TestChecks.taskWith(c -> c.put("privileged", true));
        td.remove("requiresCompatibilities");
        td.putArray("compatibilities").add("EC2").add("FARGATE");
        var described = TestChecks.JSON.createObjectNode();
        described.set("taskDefinition", td);
        write(dir, "described.json", described.toPrettyString());
        CliRun r = run(dir, "described.json");
        assertThat(r.out()).contains("Container `app` is privileged.").doesNotContain("requires Fargate");
        write(dir, "task.json", TestChecks.taskWith(c -> c.put("privileged", true)).toPrettyString());
        assertThat(run(dir, "task.json").out()).contains("requires Fargate");
    }

    @Test
    void coloursOnlyOnATerminalWithoutNoColor() throws IOException {
        privileged();
        assertThat(run(dir, Map.of(), true, "task.json").out()).contains("\u001b[1;35mcritical");
        assertThat(run(dir, Map.of("NO_COLOR", "1"), true, "task.json").out()).doesNotContain("\u001b[");
        assertThat(run(dir, Map.of("NO_COLOR", ""), true, "task.json").out()).contains("\u001b[");
        assertThat(run(dir, Map.of(), false, "task.json").out()).doesNotContain("\u001b[");
        assertThat(run(dir, Map.of(), true, "-o", "json", "task.json").out()).doesNotContain("\u001b[");
    }

    @Test
    void jsonOutput() throws IOException {
        privileged();
        CliRun r = run(dir, "-o", "json", "task.json");
        assertThat(r.code()).isEqualTo(1);
        JsonNode j = TestChecks.JSON.readTree(r.out());
        assertThat(j.at("/summary/findings").asInt()).isEqualTo(1);
        assertThat(j.at("/summary/failing").asInt()).isEqualTo(1);
        assertThat(j.at("/summary/bySeverity/critical").asInt()).isEqualTo(1);
        JsonNode f = j.at("/findings/0");
        assertThat(f.get("ruleId").asText()).isEqualTo("WARD-ECS-005");
        assertThat(f.get("securityHub").get(0).asText()).isEqualTo("ECS.4");
        assertThat(f.get("jsonPath").asText()).isEqualTo("$.containerDefinitions[0].privileged");
        assertThat(f.get("file").asText()).isEqualTo("task.json");
        assertThat(f.get("line").asInt()).isPositive();
        assertThat(f.get("container").asText()).isEqualTo("app");
        assertThat(f.get("remediation").asText()).isNotBlank();
    }

    @Test
    void trustedRegistryOption() throws IOException {
        write(dir, "task.json", TestChecks.taskWith(c -> c.put("image", "ghcr.io/acme/app@" + TestChecks.DIGEST)).toPrettyString());
        CliRun before = run(dir, "--fail-on", "medium", "task.json");
        assertThat(before.code()).isEqualTo(1);
        assertThat(before.out()).contains("WARD-ECS-016");
        assertThat(run(dir, "--fail-on", "medium", "--trusted-registry", "ghcr.io/acme", "task.json").code()).isZero();
    }

    @Test
    void versionAndHelp() {
        assertThat(run(dir, "--version").out()).startsWith("ward check ");
        CliRun help = run(dir, "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--fail-on").contains("--trusted-registry").contains("Exit codes:");
    }
}
