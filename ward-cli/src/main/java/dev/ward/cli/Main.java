package dev.ward.cli;

import dev.ward.agent.RunCommand;
import dev.ward.api.WardVersion;
import dev.ward.check.CheckCommand;
import dev.ward.deploy.InjectCommand;
import dev.ward.deploy.WebhookCommand;
import dev.ward.local.LocalCommand;
import dev.ward.relay.AgentsCommand;
import dev.ward.relay.LogsCommand;
import dev.ward.relay.MeshCommand;
import dev.ward.relay.RelayCommand;
import dev.ward.registry.cli.ImageCommand;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ward} command: the agent ({@code run}) and the tools around it. */
@Command(name = "ward", mixinStandardHelpOptions = true, versionProvider = WardVersion.class,
        description = {"Runtime security and zero trust for serverless containers (ECS Fargate, EKS Fargate)."},
        subcommands = {RunCommand.class, PolicyCommand.class, CheckCommand.class, LocalCommand.class, RelayCommand.class,
            LogsCommand.class, AgentsCommand.class, MeshCommand.class, ImageCommand.class, InjectCommand.class,
            WebhookCommand.class,
            DemoCommand.class, VersionCommand.class, AutoComplete.GenerateCompletion.class},
        footer = {"", "Run 'ward COMMAND --help' for a command's options.",
            "Shell completion: source <(ward generate-completion)"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static {
        // picocli's factory otherwise looks for Groovy's Closure class once: a class that is in no jar, so the
        // class loader opens every one of the hundred jars on the class path (and reads its manifest) to say so.
        // Ward has no Groovy commands; a value given on the command line is kept.
        if (System.getProperty("picocli.disable.closures") == null) {
            System.setProperty("picocli.disable.closures", "true");
        }
    }

    public static void main(String[] args) {
        Integer fast = RunCommand.runFast(args); // the agent's start path skips picocli's model
        if (fast != null) {
            RunCommand.exit(fast);
        }
        fast = CheckCommand.runFast(args); // so does a check with the common options
        if (fast != null) {
            RunCommand.exit(fast);
        }
        int code = commandLine(args).execute(args);
        if (readsAndPrints(args)) {
            RunCommand.exit(code);
        }
        System.exit(code);
    }

    /**
     * True for the commands that only read files and print (version, check, policy lint): no library of theirs
     * registers a shutdown hook or a file to delete on exit, so they end like the agent, without System.exit's
     * search of the hundred jars for a platform logger (30 to 80 ms). The others keep the orderly exit.
     */
    static boolean readsAndPrints(String[] args) {
        if (args.length == 0) {
            return false;
        }
        return args[0].equals("version") || args[0].equals("check")
                || args[0].equals("policy") && args.length > 1 && args[1].equals("lint");
    }

    /**
     * The command tree for these arguments. Building picocli's model of every command (their options,
     * annotations and classes) is most of a short command's time, so when the first argument names a command
     * only that one is built under a bare {@code ward}; help, completion, options before the command and unknown
     * commands (for picocli's suggestions) get the whole tree.
     */
    static CommandLine commandLine(String[] args) {
        Class<?> only = args.length > 0 ? commandClasses().get(args[0]) : null;
        if (only == null || args[0].equals("generate-completion")) {
            return commandLine();
        }
        CommandLine.Model.CommandSpec root = CommandLine.Model.CommandSpec.create().name("ward")
                .mixinStandardHelpOptions(true);
        root.versionProvider(new WardVersion());
        CommandLine cl = new CommandLine(root);
        cl.addSubcommand(new CommandLine(only));
        configure(cl);
        return cl;
    }

    private static java.util.Map<String, Class<?>> commandClasses() {
        java.util.Map<String, Class<?>> byName = new java.util.HashMap<>();
        for (Class<?> c : Main.class.getAnnotation(Command.class).subcommands()) {
            Command command = c.getAnnotation(Command.class);
            if (command != null) {
                byName.put(command.name(), c);
            }
        }
        return byName;
    }

    /** The configured command tree (for tests and for completion scripts). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        configure(cl);
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return cl;
    }

    /** What the annotations cannot say: the image commands of ward-image, and one error style. */
    private static void configure(CommandLine cl) {
        CommandLine image = cl.getSubcommands().get("image");
        if (image != null) {
            image.addSubcommand(new dev.ward.image.BundleCommand()).addSubcommand(new dev.ward.image.BuildAgentCommand())
                    .addSubcommand(new dev.ward.image.EmbedCommand());
        }
        CliErrors.install(cl);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
