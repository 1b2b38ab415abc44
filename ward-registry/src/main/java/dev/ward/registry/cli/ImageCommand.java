package dev.ward.registry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ward image}: commands about container images. Subcommands from other modules are added
 * where the command tree is assembled (ward-cli {@code Main}) with
 * {@code commandLine.getSubcommands().get("image").addSubcommand(new OtherCommand())}, or listed here.
 */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Inspect container images (and build/embed the Ward agent into them).",
        subcommands = {ImageInspectCommand.class})
public final class ImageCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
