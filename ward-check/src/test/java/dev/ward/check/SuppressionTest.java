package dev.ward.check;

import static dev.ward.check.CliRun.run;
import static dev.ward.check.CliRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuppressionTest {
    @TempDir
    Path dir;

    @BeforeEach
    void privilegedTask() throws IOException {
        write(dir, "deploy/task.json", TestChecks.taskWith(c -> c.put("privileged", true)).toPrettyString());
    }

    @Test
    void suppressionByFileGlobTurnsTheBuildGreenButIsCounted() throws IOException {
        write(dir, ".ward-check.yaml", """
                suppressions:
                  - rule: WARD-ECS-005
                    path: "deploy/*.json"
                    reason: legacy EC2 task, replaced in Q3
                """);
        CliRun r = run(dir, "deploy");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("No findings; 1 file checked, 1 suppressed.");
        JsonNode j = TestChecks.JSON.readTree(run(dir, "-o", "json", "deploy").out());
        assertThat(j.at("/summary/suppressed").asInt()).isEqualTo(1);
        assertThat(j.at("/suppressed/0/ruleId").asText()).isEqualTo("WARD-ECS-005");
        assertThat(j.at("/suppressed/0/suppression/reason").asText()).isEqualTo("legacy EC2 task, replaced in Q3");
        assertThat(j.at("/suppressed/0/suppression/location").asText()).isEqualTo(".ward-check.yaml:2:5");
        assertThat(run(dir, "-v", "deploy").out()).contains("suppressed").contains("reason (.ward-check.yaml:2:5): legacy EC2");
    }

    @Test
    void suppressionByJsonPath() throws IOException {
        write(dir, "ward.yaml", """
                suppressions:
                  - rule: WARD-ECS-005
                    path: "$.containerDefinitions[*].privileged"
                    reason: accepted
                """);
        assertThat(run(dir, "--config", "ward.yaml", "deploy").code()).isZero();
    }

    @Test
    void nonMatchingSuppressionLeavesTheFindingAndIsReportedUnused() throws IOException {
        write(dir, ".ward-check.yaml", """
                suppressions:
                  - rule: WARD-ECS-005
                    path: "other/**"
                    reason: not this one
                """);
        CliRun r = run(dir, "-v", "deploy");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("unused suppression: .ward-check.yaml:2:5 matched no finding");
    }

    @Test
    void missingReasonIsBadInputWithItsPlace() throws IOException {
        write(dir, ".ward-check.yaml", """
                suppressions:
                  - rule: WARD-ECS-005
                    path: "deploy/*.json"
                """);
        CliRun r = run(dir, "deploy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(".ward-check.yaml:2:5: error[WC105]: suppression has no reason");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void missingConfigFileNamedByOptionIsBadInput() {
        CliRun r = run(dir, "--config", "nope.yaml", "deploy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("nope.yaml: error[WC105]: no such configuration file");
    }

    @Test
    void trustedRegistriesFromTheConfig() throws IOException {
        write(dir, "deploy/task.json", TestChecks.taskWith(c -> c.put("image", "ghcr.io/acme/app@" + TestChecks.DIGEST)).toPrettyString());
        assertThat(run(dir, "--fail-on", "medium", "deploy").code()).isEqualTo(1);
        write(dir, ".ward-check.yaml", "trustedRegistries:\n  - ghcr.io/acme\n");
        assertThat(run(dir, "--fail-on", "medium", "deploy").code()).isZero();
    }
}
