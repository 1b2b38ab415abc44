package dev.ward.cli;

import dev.ward.agent.RunCommand;
import dev.ward.api.WardVersion;
import dev.ward.check.CheckCommand;
import dev.ward.deploy.InjectCommand;
import dev.ward.local.LocalCommand;
import dev.ward.relay.AgentsCommand;
import dev.ward.relay.LogsCommand;
import dev.ward.relay.RelayCommand;
import dev.ward.registry.cli.ImageCommand;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ward} command: the agent ({@code run}) and the tools around it. */
@Command(name = "ward", mixinStandardHelpOptions = true, versionProvider = WardVersion.class,
        description = {"Runtime security and zero trust for serverless containers (ECS Fargate, EKS Fargate)."},
        subcommands = {RunCommand.class, PolicyCommand.class, CheckCommand.class, LocalCommand.class, RelayCommand.class,
            LogsCommand.class, AgentsCommand.class, ImageCommand.class, InjectCommand.class, DemoCommand.class,
            VersionCommand.class, AutoComplete.GenerateCompletion.class},
        footer = {"", "Run 'ward COMMAND --help' for a command's options.",
            "Shell completion: source <(ward generate-completion)"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Integer fast = RunCommand.runFast(args); // the agent's start path skips picocli's model
        System.exit(fast != null ? fast : commandLine().execute(args));
    }

    /** The configured command tree (for tests and for completion scripts). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.getSubcommands().get("image").addSubcommand(new dev.ward.image.BundleCommand())
                .addSubcommand(new dev.ward.image.BuildAgentCommand()).addSubcommand(new dev.ward.image.EmbedCommand());
        CliErrors.install(cl);
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
