package dev.ward.agent;

import dev.ward.api.WardVersion;
import dev.ward.capture.StartupClock;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The agent alone ({@code run} and {@code version}), without the control-plane and deploy tools: what
 * the self-contained agent bundle starts inside application containers.
 */
@Command(name = "ward", mixinStandardHelpOptions = true, versionProvider = WardVersion.class,
        subcommands = {RunCommand.class, BundleCommands.Version.class, BundleCommands.Install.class},
        description = "Ward agent.")
public final class AgentMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        StartupClock.mark("main");
        if (args.length > 0 && args[0].equals("run")) {
            NativeLink.start(); // the critical branch of the start: before the arguments are even parsed
        }
        Integer fast = RunCommand.runFast(args);
        if (fast != null) {
            RunCommand.exit(fast);
        }
        System.exit(new CommandLine(new AgentMain()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
