package dev.ward.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.cli.Main;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The examples at the end of each command's {@code --help} parse, as the docs' commands do
 * ({@link DocsCommandsTest}), and the footer lines are printed as written: picocli wraps a line longer than its
 * usage width (80 columns) wherever the column ends, even inside an ARN.
 */
class HelpExamplesTest {
    @Test
    void everyHelpExampleParsesAndFitsTheTerminal() {
        List<String> failures = new ArrayList<>();
        CommandLine ward = Main.commandLine();
        List<CommandLine> all = new ArrayList<>(List.of(ward));
        for (int i = 0; i < all.size(); i++) {
            all.addAll(all.get(i).getSubcommands().values().stream().distinct().toList());
        }
        int examples = 0;
        for (CommandLine cl : all.stream().distinct().toList()) {
            String name = cl.getCommandSpec().qualifiedName();
            String[] footer = cl.getCommandSpec().usageMessage().footer();
            StringBuilder example = new StringBuilder();
            for (String line : footer) {
                if (line.length() > cl.getCommandSpec().usageMessage().width()) {
                    failures.add(name + " --help: footer line wider than the usage width: " + line);
                }
                String l = line.strip();
                if (example.isEmpty() && !l.startsWith("ward ")) {
                    continue;
                }
                example.append(l.endsWith("\\") ? l.substring(0, l.length() - 1) : l).append(' ');
                if (!l.endsWith("\\")) {
                    List<String> words = DocCommands.words(example.toString());
                    example.setLength(0);
                    examples++;
                    try {
                        ward.parseArgs(words.subList(1, words.size()).toArray(String[]::new));
                    } catch (CommandLine.ParameterException e) {
                        failures.add(name + " --help example: " + String.join(" ", words) + "\n    " + e.getMessage());
                    }
                }
            }
        }
        assertThat(examples).as("examples in --help footers").isGreaterThan(1);
        assertThat(failures).isEmpty();
    }
}
