package dev.ward.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.check.rules.Registries;
import dev.ward.check.rules.RuleContext;
import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.ErrorCode;
import dev.ward.policy.testing.Fuzz;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Mutated task definitions, services (JSON, also read as YAML) and CloudFormation templates never crash or hang
 * {@code ward check}'s readers and rules: each input yields findings or a {@link BadInputException}, and a syntax
 * or limit error has a line and column. Seeded: a failure names its case and input.
 */
class CheckFuzzTest {
    private static final long SEED = 20261205;
    private static final int CASES = Integer.getInteger("fuzz.cases", 1000);
    /** Errors about the text itself, which always have a place. */
    private static final Set<ErrorCode> POSITIONED = Set.of(ErrorCode.JSON_SYNTAX, ErrorCode.YAML_SYNTAX,
            ErrorCode.LIMIT, ErrorCode.DUPLICATE_KEY);

    private final Checker checker = new Checker(new RuleContext(Registries.DEFAULT_TRUSTED), List.of(), Path.of("."));

    @Test
    void mutatedInputsGiveFindingsOrPositionedErrors() {
        List<String> json = Fuzz.seeds(Path.of("src/test/resources/seeds"), ".json");
        List<String> yaml = Fuzz.seeds(Path.of("src/test/resources/fuzz"), ".yaml");
        assertThat(json).hasSizeGreaterThan(3);
        assertThat(yaml).isNotEmpty();
        Random r = new Random(SEED);
        int errors = 0;
        for (int i = 0; i < CASES; i++) {
            // JSON seeds are read as JSON and, a quarter of the time, as YAML (JSON is YAML to ward check too).
            boolean fromYaml = r.nextInt(3) == 0;
            List<String> seeds = fromYaml ? yaml : json;
            String input = Fuzz.mutate(seeds.get(r.nextInt(seeds.size())), r);
            String name = fromYaml || r.nextInt(4) == 0 ? "fuzz.yaml" : "fuzz.json";
            errors += check("case " + i, name, input) ? 1 : 0;
        }
        // Both outcomes, or the mutations are too weak (or too strong) to test anything.
        assertThat(errors).isBetween(CASES / 10, CASES * 9 / 10);
    }

    @Test
    void issue21InputsAreKeptAsRegressions() {
        check("merge key", "t.yaml", "a: &s\n  <<: *s\n");
        check("recursive alias", "t.yaml", "Resources: {T: {Type: \"AWS::ECS::TaskDefinition\", "
                + "Properties: &p {ContainerDefinitions: [*p]}}}");
        check("deep json", "t.json", "{\"family\": " + "[".repeat(1200) + "]".repeat(1200) + "}");
        check("huge exponent", "t.json", "{\"family\": 1e99999999999}");
        check("long number", "t.yaml", "family: " + "9".repeat(100_000));
    }

    /** Checks one input; true when it was refused. */
    private boolean check(String label, String name, String input) {
        List<Finding> findings = new ArrayList<>();
        BadInputException error = Fuzz.bounded(label, input, Fuzz.PER_INPUT, () -> {
            try {
                findings.addAll(checker.checkText(name, input));
                return null;
            } catch (BadInputException e) {
                return e;
            }
        });
        if (error != null) {
            assertThat(error.render()).as(label).startsWith(name);
            if (POSITIONED.contains(error.code())) {
                assertThat(error.pos()).as(label + ": " + error.render() + "\non:\n" + input).isNotNull();
            }
            return true;
        }
        findings.forEach(f -> assertThat(f.file()).isEqualTo(name));
        return false;
    }
}
