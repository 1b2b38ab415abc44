package dev.ward.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ward.args: the agent exits directly, except in the AOT training run, whose cache the JVM writes at its exit. */
class LaunchArgsTest {
    @TempDir
    Path runtime;

    @Test
    void theAgentExitsDirectlyButTheTrainingRunThroughTheJvm() throws Exception {
        Files.createDirectories(runtime.resolve("app"));

        LaunchArgs.writeForTraining(runtime);
        List<String> training = Files.readAllLines(runtime.resolve("ward.args"));
        LaunchArgs.write(runtime, true);
        List<String> run = Files.readAllLines(runtime.resolve("ward.args"));

        assertThat(training).contains("-Dward.exit=jvm").doesNotContain("-Dward.exit=direct", "-XX:AOTCache=/ward/ward.aot");
        assertThat(run).contains("-Dward.exit=direct", "-XX:AOTCache=/ward/ward.aot").doesNotContain("-Dward.exit=jvm");
        // everything else the same, in the same order
        assertThat(training.stream().filter(a -> !a.startsWith("-Dward.exit=")).toList())
                .isEqualTo(run.stream().filter(a -> !a.startsWith("-Dward.exit=") && !a.startsWith("-XX:AOTCache")
                        && !a.startsWith("-Xlog:")).toList());
        assertThat(run.getLast()).isEqualTo(LaunchArgs.MAIN);
    }
}
