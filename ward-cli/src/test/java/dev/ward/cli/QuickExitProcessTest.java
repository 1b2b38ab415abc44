package dev.ward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that end with Runtime.halt, and the start-up cache's training run: their output and exit code, as a
 * user's shell sees them.
 */
@Tag("process")
class QuickExitProcessTest {
    @TempDir
    Path dir;

    @Test
    void versionPrintsAllOfItsOutputAndExitsZero() throws Exception {
        Result r = ward("version");
        assertThat(r.code).isZero();
        assertThat(r.out).startsWith("ward ").contains("\nJava ");
    }

    @Test
    void policyLintKeepsItsExitCodeAndItsErrors() throws Exception {
        Path good = Files.writeString(dir.resolve("good.yaml"), PolicyCommandTest.GOOD);
        Result ok = ward("policy", "lint", good.toString());
        assertThat(ok.code).isZero();
        assertThat(ok.out).startsWith("ok: 1 policy");

        Path bad = Files.writeString(dir.resolve("bad.yaml"), "kind: KubeArmorPolicy\nspec: [\n");
        Result broken = ward("policy", "lint", bad.toString());
        assertThat(broken.code).isNotZero();
        assertThat(broken.err).contains("bad.yaml");
    }

    @Test
    void theCacheTrainingRunsVersionLintAndCheckInOneJvm() throws Exception {
        Path policy = Files.writeString(dir.resolve("p.yaml"), PolicyCommandTest.GOOD);
        Path task = Files.writeString(dir.resolve("task.json"),
                "{\"family\": \"t\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"nginx:1.27\"}]}\n");
        Result r = run(CacheTraining.class.getName(), policy.toString(), task.toString());
        assertThat(r.out).startsWith("ward ").contains("ok: 1 policy").contains("task.json");
        assertThat(r.code).as(r.err).isEqualTo(ward("check", task.toString()).code);

        assertThat(run(CacheTraining.class.getName(), policy.toString()).code).isEqualTo(2);
    }

    private Result ward(String... args) throws Exception {
        return run(Main.class.getName(), args);
    }

    private Result run(String main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ward " + String.join(" ", args) + " did not end").isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private record Result(int code, String out, String err) {
    }
}
