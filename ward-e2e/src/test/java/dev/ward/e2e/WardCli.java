package dev.ward.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code ward} command as a user does: the CLI packaged by ward-cli (its lib directory), in a JVM of
 * its own, with the same JDK that runs the tests.
 */
final class WardCli {
    private WardCli() {
    }

    /** The repository root (this module's parent directory). */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("ward-cli")) ? here : here.getParent();
    }

    static Path lib() {
        Path lib = root().resolve("ward-cli/target/ward/lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(lib + " is missing: package ward-cli first (./mvnw -pl ward-cli -am package)");
        }
        return lib;
    }

    /** The command line for {@code ward ARGS...}. */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", lib() + "/*", "dev.ward.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    /** Runs {@code ward ARGS...} to completion (at most {@code timeoutSeconds}). */
    static Result run(Map<String, String> env, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("ward-e2e", ".out");
        Path err = Files.createTempFile("ward-e2e", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command(args)).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("ward " + String.join(" ", args) + " did not finish in " + timeoutSeconds
                        + " s; stderr: " + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs {@code ward ARGS...} and fails the test with its output unless it exits 0; returns stdout. */
    static String ok(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Result r = run(env, 300, args);
        if (r.exitCode() != 0) {
            throw new AssertionError("ward " + String.join(" ", args) + " exited " + r.exitCode() + "\nstdout: "
                    + r.stdout() + "\nstderr: " + r.stderr());
        }
        return r.stdout();
    }
}
