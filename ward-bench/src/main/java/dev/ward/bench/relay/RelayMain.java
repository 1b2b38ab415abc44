package dev.ward.bench.relay;

import dev.ward.relay.RelayCommand;
import picocli.CommandLine;

/** {@code ward relay ARGS} in a JVM of its own, so that the fleet benchmark measures the relay's memory alone. */
public final class RelayMain {
    private RelayMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RelayCommand()).execute(args));
    }
}
