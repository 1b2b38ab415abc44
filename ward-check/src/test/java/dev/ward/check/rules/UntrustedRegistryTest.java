package dev.ward.check.rules;

import static dev.ward.check.TestChecks.only;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.check.TestChecks;
import java.util.List;
import org.junit.jupiter.api.Test;

class UntrustedRegistryTest {
    private static List<dev.ward.check.Finding> check(String image, List<String> trusted) {
        var td = taskWith(c -> c.put("image", image));
        return only("WARD-ECS-016", TestChecks.check("t.json", td.toPrettyString(), new RuleContext(trusted)));
    }

    @Test
    void dockerHubAndGhcrAreUntrustedByDefault() {
        assertThat(check("nginx:1.25", Registries.DEFAULT_TRUSTED)).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("`docker.io`"));
        assertThat(check("ghcr.io/acme/app:1", Registries.DEFAULT_TRUSTED)).hasSize(1);
        assertThat(check("public.ecr.aws/nginx/nginx:1.25", Registries.DEFAULT_TRUSTED)).hasSize(1);
    }

    @Test
    void privateEcrIsTrustedByDefault() {
        assertThat(check("111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1", Registries.DEFAULT_TRUSTED)).isEmpty();
        assertThat(check("111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/app:1", Registries.DEFAULT_TRUSTED)).isEmpty();
    }

    @Test
    void configuredListReplacesTheDefault() {
        List<String> mine = List.of("ghcr.io/acme", "111122223333.dkr.ecr.*.amazonaws.com");
        assertThat(check("ghcr.io/acme/app:1", mine)).isEmpty();
        assertThat(check("ghcr.io/other/app:1", mine)).hasSize(1);
        assertThat(check("444455556666.dkr.ecr.eu-west-1.amazonaws.com/app:1", mine)).hasSize(1);
        assertThat(check("111122223333.dkr.ecr.us-east-1.amazonaws.com/app:1", mine)).isEmpty();
    }
}
