package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.service;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class PublicIpTest {
    private static ObjectNode withPublicIp(String value) {
        ObjectNode s = service();
        ((ObjectNode) s.get("networkConfiguration").get("awsvpcConfiguration")).put("assignPublicIp", value);
        return s;
    }

    @Test
    void flagsEnabled() {
        assertThat(check("WARD-ECS-021", withPublicIp("ENABLED"))).singleElement().satisfies(f -> {
            assertThat(f.loc().path()).isEqualTo("$.networkConfiguration.awsvpcConfiguration.assignPublicIp");
            assertThat(f.kind()).isEqualTo("service");
        });
    }

    @Test
    void acceptsDisabledAndDefault() {
        assertThat(check("WARD-ECS-021", withPublicIp("DISABLED"))).isEmpty();
        ObjectNode s = service();
        s.remove("networkConfiguration");
        assertThat(check("WARD-ECS-021", s)).isEmpty();
    }
}
