package dev.ward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every command's errors look alike: `ward COMMAND: ...` on the error stream, one line and the fix. */
class CliErrorsTest {
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    @Test
    void invalidInputNamesTheCommandAndWhereTheUsageIs() {
        assertThat(run("image", "inspect", "--no-such-option", "nginx")).isEqualTo(2);
        assertThat(err.toString()).startsWith("ward image inspect: Unknown option: '--no-such-option'")
                .contains("Try 'ward image inspect --help' for the usage.")
                .doesNotContain("Usage:");
    }

    @Test
    void anEnvironmentProblemIsNotAnInternalError(@TempDir Path dir) {
        // ward local ps with a containers.conf that does not exist: bad input of ward local's own, exit 2, no trace
        int code = run("local", "ps", "--containers-conf", dir.resolve("missing.conf").toString());
        assertThat(err.toString()).doesNotContain("internal error").doesNotContain("WARD_DEBUG");
        assertThat(code).isNotZero();
    }

    @Test
    void internalErrorsSayHowToSeeTheTrace() {
        assertThat(CliErrors.environment(new java.io.IOException("disk full"))).isTrue();
        assertThat(CliErrors.environment(new IllegalStateException("jlink is not available: run with a JDK"))).isTrue();
        assertThat(CliErrors.environment(new NullPointerException())).isFalse();
    }

    @Test
    void everyCommandsHelpListsItsExitCodes() {
        check(Main.commandLine());
    }

    private static void check(CommandLine cl) {
        String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        if (!CliErrors.name(cl.getCommandSpec()).equals("ward run")) {
            assertThat(help).as(CliErrors.name(cl.getCommandSpec())).contains("Exit codes:");
        } else {
            assertThat(help).contains("Exit status:");
        }
        cl.getSubcommands().values().forEach(CliErrorsTest::check);
    }
}
