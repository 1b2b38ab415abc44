package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SysPtraceAddedTest {
    @Test
    void flagsSysPtraceInAnySpelling() {
        for (String cap : new String[] {"SYS_PTRACE", "CAP_SYS_PTRACE", "sys_ptrace"}) {
            assertThat(check("WARD-ECS-008", taskWith(c -> {
                c.remove("entryPoint"); // not under Ward
                c.putObject("linuxParameters").putObject("capabilities").putArray("add").add(cap);
            }))).as(cap).singleElement()
                    .satisfies(f -> assertThat(f.message()).contains("can't tell"));
        }
    }

    @Test
    void theSysPtraceWardAddsIsWardsAndNotReported() {
        // the entry point ward inject writes (the bundle's env, then the JVM with Ward's argument file)
        assertThat(check("WARD-ECS-008", taskWith(c -> {
            c.putArray("entryPoint").add("/ward/bin/env").add("--block-signal=HUP,INT,QUIT,USR1,USR2,TERM,WINCH")
                    .add("_JAVA_SR_SIGNUM=40").add("WARD_SR_SIGNUM=1").add("/ward/bin/java").add("@/ward/ward.args")
                    .add("run").add("--").add("/app/server");
            c.putObject("linuxParameters").putObject("capabilities").putArray("add").add("SYS_PTRACE");
        }))).isEmpty();
    }

    @Test
    void silentWithoutIt() {
        assertThat(check("WARD-ECS-008", taskWith(c -> c.putObject("linuxParameters").putObject("capabilities")
                .putArray("add").add("NET_BIND_SERVICE")))).isEmpty();
    }
}
