package dev.ward.check;

import static dev.ward.check.CliRun.run;
import static dev.ward.check.CliRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.testing.Fuzz;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21's inputs that hung or crashed {@code ward check}: each is now bad input (exit 2, never 1, which means
 * findings) with file, line, column and what was expected, answered in time on the launcher's 256 KiB stack.
 */
class HostileInputTest {
    @TempDir
    Path dir;

    private CliRun check(String name, String text) throws IOException {
        write(dir, name, text);
        return Fuzz.bounded(name, text, Fuzz.PER_INPUT, () -> run(dir, name));
    }

    @Test
    void jsonNested1200LevelsIsALimitNotAStackOverflow() throws IOException {
        CliRun r = check("task.json", "{\"family\": " + "[".repeat(1200) + "]".repeat(1200) + "}");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("task.json:1:111: error[WC108]: nesting deeper than 100 levels (expected at most "
                + "100 objects and arrays inside each other)");
        // Nothing could be read: only the error, no verdict (with other files checked, the summary would say
        // "1 input could not be checked (see the error): failing.").
        assertThat(r.out()).doesNotContain("Nothing at or above").doesNotContain("No findings");
    }

    @Test
    void numberBeyondBigDecimalIsBadInputNotABug() throws IOException {
        CliRun r = check("task.json", "{\"family\": 1e99999999999, \"containerDefinitions\": []}");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("task.json:1:12: error[WC101]: number 1e99999999999 is out of range (expected a "
                + "number whose exponent fits in 32 bits, such as 1e308)").doesNotContain("bug");
    }

    @Test
    void numberLongerThanJacksonTakesIsPositioned() throws IOException {
        CliRun r = check("task.json", "{\n  \"cpu\": " + "9".repeat(1001) + "\n}");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).containsPattern("task\\.json:2:\\d+: error\\[WC101\\]: Number value length \\(1001\\) "
                + "exceeds the maximum allowed");
    }

    @Test
    void mergeKeyIntoItsOwnMappingDoesNotHang() throws IOException {
        CliRun r = check("stack.yaml", "Resources:\n  T: &s\n    Type: AWS::ECS::TaskDefinition\n    <<: *s\n");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("stack.yaml:4:9: error[WC108]: merge key <<: *s merges the node anchored &s at "
                + "line 2, column 6, which contains it");
    }

    @Test
    void recursiveAliasIsALimitNotAStackOverflow() throws IOException {
        CliRun r = check("stack.yaml", "Resources: {T: {Type: \"AWS::ECS::TaskDefinition\", "
                + "Properties: &p {ContainerDefinitions: [*p]}}}\n");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("stack.yaml:1:90: error[WC108]: alias *p refers to the node anchored &p");
    }

    @Test
    void walkedFilesOverALimitThatAreNotEcsInputsAreSkipped() throws IOException {
        write(dir, "web/pnpm-lock.yaml", "packages:\n" + "  x: y\n".repeat(800_000));
        write(dir, "web/schema.json", "{\"a\": " + "[".repeat(300) + "]".repeat(300) + "}");
        write(dir, "task.json", TestChecks.task().toPrettyString());
        CliRun r = Fuzz.bounded("walk", "", Fuzz.PER_INPUT, () -> run(dir, "-v", "."));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("skipped: web/pnpm-lock.yaml: not an ECS input and not valid JSON/YAML "
                + "(web/pnpm-lock.yaml:599186:7: the text is longer than 4194304 characters")
                .contains("skipped: web/schema.json: not an ECS input and not valid JSON/YAML (web/schema.json:1:106: "
                        + "nesting deeper than 100 levels");
    }

    @Test
    void deepYamlIsALimit() throws IOException {
        CliRun r = check("stack.yaml", "Resources: " + "[".repeat(5000));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("stack.yaml:1:111: error[WC108]: nesting deeper than 100 levels");
    }
}
