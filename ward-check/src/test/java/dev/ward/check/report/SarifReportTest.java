package dev.ward.check.report;

import static dev.ward.check.CliRun.copy;
import static dev.ward.check.CliRun.run;
import static dev.ward.check.CliRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.ward.check.CliRun;
import dev.ward.check.TestChecks;
import dev.ward.check.rules.Rules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -o sarif} against the SARIF 2.1.0 schema (test resource schema/sarif-2.1.0-rtm.5.json). */
class SarifReportTest {
    private static final JsonSchema SCHEMA = schema();

    @TempDir
    Path dir;

    private static JsonSchema schema() {
        try (InputStream in = SarifReportTest.class.getResourceAsStream("/schema/sarif-2.1.0-rtm.5.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void inputs() throws IOException {
        copy(dir, "seeds/001-backend-flask-task-definition.json");
        copy(dir, "seeds/001-service-backend-flask.json");
        copy(dir, "seeds/004-nginx-nonrootasroot-sidecar.json");
        write(dir, ".ward-check.yaml", """
                suppressions:
                  - rule: WARD-ECS-022
                    reason: exec stays on for the course
                """);
    }

    private JsonNode sarif() throws IOException {
        CliRun r = run(dir, "-o", "sarif", "seeds");
        assertThat(r.code()).isEqualTo(1);
        return TestChecks.JSON.readTree(r.out());
    }

    @Test
    void validatesAgainstTheSarifSchema() throws IOException {
        Set<ValidationMessage> errors = SCHEMA.validate(sarif());
        assertThat(errors).isEmpty();
    }

    @Test
    void theValidatorRejectsBrokenLogs() throws IOException {
        ObjectNode broken = (ObjectNode) sarif();
        broken.put("version", "2.0.0");
        ((ObjectNode) broken.at("/runs/0/results/0")).put("level", "fatal");
        assertThat(SCHEMA.validate(broken)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void rulesCarryHelpAndResultsPointAtLines() throws IOException {
        JsonNode run = sarif().at("/runs/0");
        assertThat(run.at("/tool/driver/rules")).hasSize(Rules.infos().size());
        JsonNode rule = run.at("/tool/driver/rules/20");
        assertThat(rule.get("id").asText()).isEqualTo("WARD-ECS-021");
        assertThat(rule.at("/help/text").asText()).contains("Fix: Set assignPublicIp to DISABLED").contains("ECS.2");
        assertThat(rule.at("/properties/security-severity").asText()).isEqualTo("8.0");

        JsonNode publicIp = null;
        for (JsonNode r : run.get("results")) {
            if (r.get("ruleId").asText().equals("WARD-ECS-021")) {
                publicIp = r;
            }
        }
        assertThat(publicIp).isNotNull();
        JsonNode loc = publicIp.at("/locations/0/physicalLocation");
        assertThat(loc.at("/artifactLocation/uri").asText()).isEqualTo("seeds/001-service-backend-flask.json");
        assertThat(loc.at("/artifactLocation/uriBaseId").asText()).isEqualTo("%SRCROOT%");
        assertThat(loc.at("/region/startLine").asInt()).isEqualTo(9);
        assertThat(loc.at("/region/startColumn").asInt()).isEqualTo(7);
        assertThat(publicIp.at("/locations/0/logicalLocations/0/fullyQualifiedName").asText())
                .isEqualTo("$.networkConfiguration.awsvpcConfiguration.assignPublicIp");
        assertThat(publicIp.get("level").asText()).isEqualTo("error");
        assertThat(publicIp.get("ruleIndex").asInt()).isEqualTo(20);
        assertThat(run.at("/originalUriBaseIds/%SRCROOT%/uri").asText()).startsWith("file:/").endsWith("/");
    }

    @Test
    void suppressedFindingsAreResultsWithSuppressions() throws IOException {
        JsonNode exec = null;
        for (JsonNode r : sarif().at("/runs/0/results")) {
            if (r.get("ruleId").asText().equals("WARD-ECS-022")) {
                exec = r;
            }
        }
        assertThat(exec).isNotNull();
        JsonNode s = exec.at("/suppressions/0");
        assertThat(s.get("kind").asText()).isEqualTo("external");
        assertThat(s.get("justification").asText()).isEqualTo("exec stays on for the course");
        assertThat(s.at("/location/physicalLocation/artifactLocation/uri").asText()).isEqualTo(".ward-check.yaml");
        assertThat(s.at("/location/physicalLocation/region/startLine").asInt()).isEqualTo(2);
    }

    @Test
    void inputErrorsBecomeNotificationsAndTheLogStaysValid() throws IOException {
        write(dir, "seeds/broken.json", "{\"containerDefinitions\": [}");
        CliRun r = run(dir, "-o", "sarif", "seeds");
        assertThat(r.code()).isEqualTo(2);
        JsonNode log = TestChecks.JSON.readTree(r.out());
        assertThat(SCHEMA.validate(log)).isEmpty();
        JsonNode inv = log.at("/runs/0/invocations/0");
        assertThat(inv.get("executionSuccessful").asBoolean()).isFalse();
        assertThat(inv.at("/toolExecutionNotifications/0/descriptor/id").asText()).isEqualTo("WC101");
        assertThat(inv.at("/toolExecutionNotifications/0/locations/0/physicalLocation/region/startColumn").asInt()).isEqualTo(27);
    }

    @Test
    void pathsWithSpacesAreEncoded() {
        assertThat(SarifReport.relativeUri("my deploy/task #1.json")).isEqualTo("my%20deploy/task%20%231.json");
    }
}
