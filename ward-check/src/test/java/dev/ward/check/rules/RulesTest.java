package dev.ward.check.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.check.RuleInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RulesTest {
    @Test
    void idsAreUniqueSequentialAndComplete() {
        List<RuleInfo> infos = Rules.infos();
        for (int i = 0; i < infos.size(); i++) {
            RuleInfo r = infos.get(i);
            assertThat(r.id()).isEqualTo(String.format("WARD-ECS-%03d", i + 1));
            assertThat(r.name()).matches("[A-Z][A-Za-z]+");
            assertThat(List.of(r.title(), r.rationale(), r.remediation())).allSatisfy(s -> assertThat(s).isNotBlank());
            r.securityHub().forEach(id -> assertThat(id).matches("ECS\\.([1-9]|1[0-9]|2[01])"));
        }
        assertThat(infos).extracting(RuleInfo::name).doesNotHaveDuplicates();
    }

    @Test
    void everyRuleIsDocumented() throws IOException {
        Path doc = Path.of("..", "docs", "check.md");
        String text = Files.readString(doc);
        for (RuleInfo r : Rules.infos()) {
            assertThat(text).as("docs/check.md documents " + r.id()).contains("| " + r.id() + " | " + r.severity().label() + " |");
        }
    }
}
