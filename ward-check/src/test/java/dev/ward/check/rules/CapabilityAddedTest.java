package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CapabilityAddedTest {
    @Test
    void flagsEveryCapabilityButSysPtrace() {
        var td = taskWith(c -> c.putObject("linuxParameters").putObject("capabilities").putArray("add")
                .add("NET_ADMIN").add("SYS_PTRACE").add("CAP_SYS_ADMIN"));
        assertThat(check("WARD-ECS-007", td)).extracting(f -> f.loc().path()).containsExactly(
                "$.containerDefinitions[0].linuxParameters.capabilities.add[0]",
                "$.containerDefinitions[0].linuxParameters.capabilities.add[2]");
        assertThat(check("WARD-ECS-007", td).getFirst().message()).contains("accepts only SYS_PTRACE");
    }

    @Test
    void acceptsSysPtraceAndDrops() {
        var td = taskWith(c -> {
            var caps = c.putObject("linuxParameters").putObject("capabilities");
            caps.putArray("add").add("SYS_PTRACE");
            caps.putArray("drop").add("ALL");
        });
        assertThat(check("WARD-ECS-007", td)).isEmpty();
    }
}
