package dev.ward.check.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.ErrorCode;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    @Test
    void readsRegistriesAndSuppressions() throws ConfigException {
        CheckConfig c = ConfigLoader.parse(".ward-check.yaml", """
                trustedRegistries:
                  - ghcr.io/acme
                suppressions:
                  - rule: WARD-ECS-013
                    path: "deploy/batch/**"
                    reason: batch jobs have no endpoint to probe
                  - rule: WARD-ECS-02*
                    reason: accepted for the demo stack
                """);
        assertThat(c.trustedRegistries()).containsExactly("ghcr.io/acme");
        assertThat(c.suppressions()).hasSize(2);
        Suppression first = c.suppressions().getFirst();
        assertThat(first.reason()).isEqualTo("batch jobs have no endpoint to probe");
        assertThat(first.where()).isEqualTo(".ward-check.yaml:4:5");
        assertThat(c.suppressions().get(1).path()).isNull();
    }

    @Test
    void emptyFileIsAnEmptyConfig() throws ConfigException {
        assertThat(ConfigLoader.parse(".ward-check.yaml", "\n")).isEqualTo(CheckConfig.empty());
    }

    @Test
    void missingReasonIsAnErrorAtTheEntry() {
        assertThatThrownBy(() -> ConfigLoader.parse(".ward-check.yaml", """
                suppressions:
                  - rule: WARD-ECS-004
                    path: "*.json"
                """)).isInstanceOfSatisfying(ConfigException.class, e -> {
                    BadInputException p = e.problems().getFirst();
                    assertThat(p.code()).isEqualTo(ErrorCode.CONFIG);
                    assertThat(p.where()).isEqualTo(".ward-check.yaml:2:5");
                    assertThat(p.render()).contains("suppression has no reason").contains("    2 |   - rule: WARD-ECS-004");
                });
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", """
                trustedRegistry: [x]
                suppressions:
                  - rule: WARD-ECS-999
                    reason: typo
                  - rule: WARD-ECS-004
                    reason: "  "
                    owner: me
                """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(BadInputException::where, BadInputException::detail)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple("c.yaml:1:1", "unknown key \"trustedRegistry\" (expected trustedRegistries or suppressions)"),
                                org.assertj.core.groups.Tuple.tuple("c.yaml:3:5", "no rule matches \"WARD-ECS-999\" (expected an id such as WARD-ECS-004)"),
                                org.assertj.core.groups.Tuple.tuple("c.yaml:7:5", "unknown key \"owner\" (expected rule, path or reason)"),
                                org.assertj.core.groups.Tuple.tuple("c.yaml:5:5", "suppression has no reason (expected reason: why this finding is accepted)")));
    }

    @Test
    void malformedYamlIsReportedWithItsPlace() {
        assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "suppressions:\n  - rule: [\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems().getFirst().code()).isEqualTo(ErrorCode.YAML_SYNTAX);
                    assertThat(e.problems().getFirst().pos()).isNotNull();
                });
    }
}
