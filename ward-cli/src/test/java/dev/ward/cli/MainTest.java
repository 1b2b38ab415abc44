package dev.ward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree built for a command line: only the named command, or all of them. */
class MainTest {
    @Test
    void aNamedCommandIsBuiltAloneAndBehavesAsInTheWholeTree() {
        CommandLine version = Main.commandLine(new String[] {"version"});
        assertThat(version.getSubcommands().keySet()).containsExactly("version");
        assertThat(Main.commandLine(new String[] {"image", "bundle"}).getSubcommands().get("image").getSubcommands())
                .containsKeys("inspect", "bundle", "build-agent", "embed");

        StringWriter err = new StringWriter();
        CommandLine check = Main.commandLine(new String[] {"check", "--bogus"});
        check.setErr(new PrintWriter(err));
        assertThat(check.execute("check", "--bogus")).isEqualTo(2);
        assertThat(err.toString()).startsWith("ward check: Unknown option: '--bogus'");
    }

    @Test
    void picocliDoesNotSearchTheClassPathForGroovy() {
        // its factory's search for groovy.lang.Closure, in none of the jars, opened every jar of the class path
        Main.commandLine(new String[] {"version"});
        assertThat(System.getProperty("picocli.disable.closures")).isEqualTo("true");
    }

    @Test
    void helpCompletionAndUnknownCommandsGetTheWholeTree() {
        int all = Main.commandLine().getSubcommands().size();
        for (String[] args : new String[][] {{}, {"--help"}, {"chek"}, {"generate-completion"}}) {
            assertThat(Main.commandLine(args).getSubcommands()).hasSize(all);
        }
    }

    @Test
    void onlyCommandsThatReadAndPrintEndWithoutTheOrderlyExit() {
        assertThat(Main.readsAndPrints(new String[] {"version"})).isTrue();
        assertThat(Main.readsAndPrints(new String[] {"check", "task.json"})).isTrue();
        assertThat(Main.readsAndPrints(new String[] {"policy", "lint", "p.yaml"})).isTrue();
        for (String[] args : new String[][] {{}, {"policy"}, {"policy", "add", "p.yaml"}, {"relay"}, {"local", "up"},
            {"image", "bundle"}, {"logs"}}) {
            assertThat(Main.readsAndPrints(args)).as(String.join(" ", args)).isFalse();
        }
    }

    @Test
    void everyDescriptionLineIsAParagraphThatPicocliWraps() {
        // picocli prints each element of a description on a line of its own and wraps it at 80 columns: elements
        // written as the source's line breaks come out as a ragged column of half lines
        List<String> broken = new ArrayList<>();
        collectBrokenDescriptions(Main.commandLine(), broken);
        assertThat(broken).isEmpty();
    }

    private static void collectBrokenDescriptions(CommandLine cl, List<String> broken) {
        String[] lines = cl.getCommandSpec().usageMessage().description();
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty() && !line.endsWith(".") && !line.endsWith(":") && !line.endsWith(")")) {
                broken.add(cl.getCommandSpec().qualifiedName() + ": \"" + line + "\"");
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            collectBrokenDescriptions(sub, broken);
        }
    }
}
