package dev.ward.cli;

import dev.ward.local.LocalException;
import dev.ward.registry.RegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * One error style for every ward command, on picocli's error stream: {@code ward COMMAND: what went wrong}, one
 * line, then what to do. A wrong option or argument says where to read the usage (exit 2). A problem of the
 * environment (a file, the network, a registry, podman, a tool the command needs) is reported as such (exit 1); only
 * an unexpected exception is an internal error, with the hint that shows its stack trace.
 */
final class CliErrors {
    /** For commands that do not list their own: what picocli and the handlers below return. */
    static final Map<String, String> DEFAULT_EXIT_CODES = defaults();

    private CliErrors() {
    }

    private static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("0", "success");
        m.put("1", "the command could not do its work (a file, the network, a registry or podman failed; the "
                + "message says which)");
        m.put("2", "invalid input: an unknown option, a missing or malformed argument");
        return m;
    }

    /** Installs the handlers, and the default exit-code list in the help of every command that has none. */
    static void install(CommandLine root) {
        root.setParameterExceptionHandler(CliErrors::invalidInput);
        root.setExecutionExceptionHandler((e, line, parsed) -> failed(e, line));
        documentExitCodes(root);
    }

    private static void documentExitCodes(CommandLine cl) {
        var usage = cl.getCommandSpec().usageMessage();
        // ward run documents its exit status (the workload's) in its description
        if (usage.exitCodeList().isEmpty() && !name(cl.getCommandSpec()).equals("ward run")) {
            usage.exitCodeListHeading("%nExit codes:%n").exitCodeList(DEFAULT_EXIT_CODES);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            documentExitCodes(sub);
        }
    }

    /** {@code ward image bundle}: the command as the user typed it. */
    static String name(CommandSpec spec) {
        return spec.qualifiedName(" ");
    }

    private static int invalidInput(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        var err = cl.getErr();
        err.println(name(cl.getCommandSpec()) + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + name(cl.getCommandSpec()) + " --help' for the usage.");
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int failed(Exception e, CommandLine line) {
        var err = line.getErr();
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (environment(e)) {
            err.println(name(line.getCommandSpec()) + ": " + message);
            return 1;
        }
        err.println(name(line.getCommandSpec()) + ": internal error: " + message);
        if (System.getenv("WARD_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("(set WARD_DEBUG=1 for the stack trace)");
        }
        return 1;
    }

    /**
     * A problem the user can fix outside Ward: I/O, a registry, podman, an interrupted wait, or a tool the command
     * needs (Ward's own code reports those as IllegalStateException with the fix in the message).
     */
    static boolean environment(Throwable e) {
        return e instanceof IOException || e instanceof UncheckedIOException || e instanceof RegistryException
                || e instanceof LocalException || e instanceof InterruptedException || e instanceof IllegalStateException;
    }
}
