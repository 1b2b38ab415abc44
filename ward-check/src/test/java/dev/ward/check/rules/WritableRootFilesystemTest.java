package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WritableRootFilesystemTest {
    @Test
    void flagsFalseAndMissing() {
        assertThat(check("WARD-ECS-006", taskWith(c -> c.put("readonlyRootFilesystem", false)))).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("to false"));
        assertThat(check("WARD-ECS-006", taskWith(c -> c.remove("readonlyRootFilesystem")))).singleElement()
                .satisfies(f -> assertThat(f.loc().path()).isEqualTo("$.containerDefinitions[0].readonlyRootFilesystem"));
    }

    @Test
    void acceptsTrueAndSkipsWindows() {
        assertThat(check("WARD-ECS-006", taskWith(c -> c.put("readonlyRootFilesystem", true)))).isEmpty();
        var win = taskWith(c -> c.remove("readonlyRootFilesystem"));
        win.putObject("runtimePlatform").put("operatingSystemFamily", "WINDOWS_SERVER_2019_FULL");
        assertThat(check("WARD-ECS-006", win)).isEmpty();
    }
}
