package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NoLogConfigurationTest {
    @Test
    void flagsMissingConfigurationAndMissingDriver() {
        assertThat(check("WARD-ECS-012", taskWith(c -> c.remove("logConfiguration")))).singleElement()
                .satisfies(f -> assertThat(f.loc().path()).isEqualTo("$.containerDefinitions[0].logConfiguration"));
        assertThat(check("WARD-ECS-012", taskWith(c -> c.putObject("logConfiguration").putObject("options"))))
                .singleElement().satisfies(f -> {
                    assertThat(f.loc().path()).isEqualTo("$.containerDefinitions[0].logConfiguration.logDriver");
                    assertThat(f.message()).contains("without a `logDriver`");
                });
    }

    @Test
    void wardsAgentSidecarNeedsNone() {
        var td = taskWith(c -> c.putArray("volumesFrom").addObject().put("sourceContainer", "ward-agent"));
        var agent = td.withArray("containerDefinitions").addObject().put("name", "ward-agent").put("essential", false);
        assertThat(check("WARD-ECS-012", td)).isEmpty();
        // essential, or not mounted by anyone: an ordinary container that happens to have the name
        agent.put("essential", true);
        assertThat(check("WARD-ECS-012", td)).hasSize(1);
    }

    @Test
    void acceptsAnyDriver() {
        assertThat(check("WARD-ECS-012", taskWith(c -> c.putObject("logConfiguration").put("logDriver", "awsfirelens"))))
                .isEmpty();
    }
}
