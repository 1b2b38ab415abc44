package dev.ward.local;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ward local}: run an ECS task definition on this machine with podman. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Runs an ECS task definition on this machine with podman, to try a task (and Ward's "
                + "protection of it) without deploying. See docs/local.md."},
        subcommands = {LocalRunCommand.class, LocalStopCommand.class, LocalPsCommand.class})
public final class LocalCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs {@code ward local} on its own (tests, and a class path without the whole CLI). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalCommand()).setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("ward local: " + e.getMessage());
            return e instanceof LocalException.BadInput ? 2 : 1;
        }).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
