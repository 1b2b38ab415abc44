package dev.ward.check.rules;

import static dev.ward.check.TestChecks.app;
import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.task;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.check.Severity;
import org.junit.jupiter.api.Test;

class NoRuntimeProtectionTest {
    @Test
    void flagsContainersNotStartedByWard() {
        assertThat(check("WARD-ECS-024", taskWith(c -> c.remove("entryPoint")))).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.loc().path()).isEqualTo("$.containerDefinitions[0]");
        });
        // ward without "run", or "run" under another binary, is not protection
        assertThat(check("WARD-ECS-024", taskWith(c -> c.putArray("entryPoint").add("/ward/bin/ward").add("version")))).hasSize(1);
        assertThat(check("WARD-ECS-024", taskWith(c -> c.putArray("entryPoint").add("/usr/bin/steward").add("run")))).hasSize(1);
    }

    @Test
    void entryPointOrCommandStartingWithWardRunProtects() {
        assertThat(check("WARD-ECS-024", task())).isEmpty();
        assertThat(check("WARD-ECS-024", taskWith(c -> {
            c.remove("entryPoint");
            c.putArray("command").add("/opt/ward").add("run").add("nginx");
        }))).isEmpty();
    }

    @Test
    void everyFormWardInjectWritesProtects() {
        // ward inject's entry point: the bundle's env, its JVM and Ward's argument file, then run
        assertThat(check("WARD-ECS-024", taskWith(c -> c.putArray("entryPoint").add("/ward/bin/env")
                .add("--block-signal=HUP,INT,QUIT,USR1,USR2,TERM,WINCH").add("_JAVA_SR_SIGNUM=40").add("WARD_SR_SIGNUM=1")
                .add("/ward/bin/java").add("@/ward/ward.args").add("run").add("--").add("/app/server")))).isEmpty();
        // an earlier Ward's, without env
        assertThat(check("WARD-ECS-024", taskWith(c -> c.putArray("entryPoint").add("/ward/bin/java")
                .add("@/ward/ward.args").add("run").add("--").add("/app/server")))).isEmpty();
        // embedded mode without an override: the entry point is in the image, the label says so
        assertThat(check("WARD-ECS-024", taskWith(c -> {
            c.remove("entryPoint");
            c.putObject("dockerLabels").put("dev.ward.agent", "embedded");
        }))).isEmpty();
        // the argument file deep in someone else's command is not Ward starting the container
        assertThat(check("WARD-ECS-024", taskWith(c -> c.putArray("entryPoint").add("/bin/sh").add("-c").add("x")
                .add("y").add("z").add("w").add("v").add("@/ward/ward.args").add("run")))).hasSize(1);
        assertThat(check("WARD-ECS-024", taskWith(c -> c.putArray("entryPoint").add("/ward/bin/java")
                .add("@/ward/ward.args").add("version")))).hasSize(1);
    }

    @Test
    void wardAgentSidecarWithVolumesFromProtects() {
        ObjectNode td = taskWith(c -> {
            c.remove("entryPoint");
            c.putArray("volumesFrom").addObject().put("sourceContainer", "ward-agent").put("readOnly", true);
        });
        ObjectNode agent = td.withArray("containerDefinitions").addObject();
        agent.put("name", "ward-agent").put("image", "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ward@sha256:" + "0".repeat(64))
                .put("essential", false);
        assertThat(check("WARD-ECS-024", td)).isEmpty();
        // the sidecar alone, not mounted, protects nothing
        app(td).remove("volumesFrom");
        assertThat(check("WARD-ECS-024", td)).hasSize(1);
    }
}
