package dev.ward.cli;

import dev.ward.api.WardVersion;
import picocli.CommandLine.Command;

/** {@code ward version}: the same text as {@code ward --version}. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print Ward's version.")
public final class VersionCommand implements Runnable {
    @Override
    public void run() {
        for (String line : new WardVersion().getVersion()) {
            System.out.println(line);
        }
    }
}
