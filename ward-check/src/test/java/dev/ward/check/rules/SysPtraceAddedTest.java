package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SysPtraceAddedTest {
    @Test
    void flagsSysPtraceInAnySpelling() {
        for (String cap : new String[] {"SYS_PTRACE", "CAP_SYS_PTRACE", "sys_ptrace"}) {
            assertThat(check("WARD-ECS-008", taskWith(c -> c.putObject("linuxParameters").putObject("capabilities")
                    .putArray("add").add(cap)))).as(cap).singleElement()
                    .satisfies(f -> assertThat(f.message()).contains("can't tell"));
        }
    }

    @Test
    void silentWithoutIt() {
        assertThat(check("WARD-ECS-008", taskWith(c -> c.putObject("linuxParameters").putObject("capabilities")
                .putArray("add").add("NET_BIND_SERVICE")))).isEmpty();
    }
}
