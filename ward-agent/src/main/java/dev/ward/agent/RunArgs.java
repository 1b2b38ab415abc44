package dev.ward.agent;

import java.nio.file.Path;
import java.util.List;

/**
 * A start-up shortcut for {@code ward run}: parses the common, unambiguous forms of its options into a
 * {@link RunCommand} without building picocli's model, which costs a few hundred milliseconds of
 * reflection on a cold JVM, on the path of every container start.
 *
 * <p>It accepts only {@code --name value}, {@code --name=value} and the documented short names with a
 * separate value, then {@code --} or the first non-option as CMD. Anything else (help, version,
 * clustered or unknown options, a missing value) returns null and picocli parses the whole command
 * line, errors and help included. {@code RunArgsTest} checks both parsers agree and that every picocli
 * option of {@link RunCommand} is known here.
 */
final class RunArgs {
    private RunArgs() {
    }

    /** The parsed command, or null to let picocli handle {@code args} (everything after "run"). */
    static RunCommand parse(List<String> args) {
        RunCommand c = new RunCommand();
        java.util.Set<String> seen = new java.util.HashSet<>();
        int i = 0;
        while (i < args.size()) {
            String a = args.get(i);
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                break;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (name.equals("--fail-open") || name.equals("--mesh")) {
                if (value != null || !seen.add(name)) {
                    return null;
                }
                if (name.equals("--fail-open")) {
                    c.failOpen = true;
                } else {
                    c.mesh = true;
                }
                i++;
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    return null;
                }
                value = args.get(i + 1);
                i += 2;
            } else {
                i++;
            }
            if (!apply(c, name, value, seen)) {
                return null;
            }
        }
        if (i >= args.size()) {
            return null; // no command: picocli reports it
        }
        c.command.addAll(args.subList(i, args.size()));
        return c;
    }

    private static boolean apply(RunCommand c, String name, String value, java.util.Set<String> seen) {
        // picocli rejects a single-valued option given twice: decline and let it say so.
        String key = switch (name) {
            case "-o" -> "--output";
            case "-C" -> "--workdir";
            default -> name;
        };
        if (!key.equals("--policy") && !key.equals("-p") && !key.equals("--label") && !key.equals("--pack")
                && !seen.add(key)) {
            return false;
        }
        switch (name) {
            case "-p", "--policy" -> c.policies.add(Path.of(value));
            case "--pack" -> c.packs.add(value);
            case "--output-format" -> c.outputFormat = value;
            case "--container-name" -> c.containerName = value;
            case "--label" -> {
                int eq = value.indexOf('=');
                if (eq <= 0) {
                    return false;
                }
                c.labels.put(value.substring(0, eq), value.substring(eq + 1));
            }
            case "--log-filter" -> c.logFilter = value;
            case "--visibility" -> c.visibility = value;
            case "--trap" -> c.trap = value;
            case "--stop-signal" -> c.stopSignal = value;
            case "-o", "--output" -> c.output = Path.of(value);
            case "--queue-size" -> {
                try {
                    c.queueSize = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    return false;
                }
            }
            case "-C", "--workdir" -> c.workDir = Path.of(value);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The option names this parser knows, for the agreement test. */
    static List<String> names() {
        return List.of("-p", "--policy", "--container-name", "--label", "--log-filter", "--visibility", "--trap", "-o", "--output",
                "--fail-open", "--mesh", "--queue-size", "-C", "--workdir", "--stop-signal", "--pack",
                "--output-format");
    }
}
