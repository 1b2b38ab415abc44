package dev.ward.check;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A start-up shortcut for {@code ward check}: parses the common, unambiguous forms of its command line into a
 * {@link CheckCommand} without building picocli's model of it, which on a cold JVM costs more than checking a
 * directory of task definitions (reflection, and a dynamic proxy class generated per annotation type).
 *
 * <p>It accepts paths, {@code --name value}, {@code --name=value} and the short names {@code -o VALUE} and
 * {@code -v}. Anything else returns null and picocli parses the whole command line, errors and help included:
 * help and version, {@code --}, clustered or unknown options, an option given twice, a value that is missing,
 * empty, starts with '-' or does not convert, and any argument starting with '@' (picocli's argument files).
 * {@code CheckArgsTest} checks both parsers agree and that every picocli option of {@link CheckCommand} is known
 * here.
 */
final class CheckArgs {
    private CheckArgs() {
    }

    /** Parses {@code args} (everything after "check") into {@code c}; false to let picocli handle them. */
    static boolean parse(List<String> args, CheckCommand c) {
        Set<String> seen = new HashSet<>();
        int i = 0;
        while (i < args.size()) {
            String a = args.get(i);
            if (a.isEmpty() || a.startsWith("@")) {
                return false;
            }
            if (a.equals("-") || !a.startsWith("-")) {
                if (!path(a, c.paths)) {
                    return false;
                }
                i++;
                continue;
            }
            if (a.equals("-v") || a.equals("--verbose")) {
                if (!seen.add("--verbose")) {
                    return false;
                }
                c.verbose = true;
                i++;
                continue;
            }
            String name = a;
            String value;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
                i++;
            } else if (i + 1 < args.size()) {
                value = args.get(i + 1);
                i += 2;
            } else {
                return false;
            }
            if (value.isEmpty() || value.startsWith("-") || value.startsWith("@") || !apply(c, name, value, seen)) {
                return false;
            }
        }
        return true;
    }

    /** The option names this parser knows, for the agreement test. */
    static List<String> names() {
        return List.of("-o", "--output", "--fail-on", "--config", "--trusted-registry", "-v", "--verbose");
    }

    private static boolean apply(CheckCommand c, String name, String value, Set<String> seen) {
        String key = name.equals("-o") ? "--output" : name;
        // picocli rejects a single-valued option given twice: decline and let it say so.
        if (!key.equals("--trusted-registry") && !seen.add(key)) {
            return false;
        }
        try {
            switch (key) {
                case "--output" -> c.output = new CheckCommand.FormatConverter().convert(value);
                case "--fail-on" -> c.failOn = new CheckCommand.SeverityConverter().convert(value);
                case "--config" -> c.config = Path.of(value);
                case "--trusted-registry" -> c.trustedRegistries.add(value);
                default -> {
                    return false;
                }
            }
        } catch (RuntimeException e) { // a value picocli would report (its converters' errors, a bad path)
            return false;
        }
        return true;
    }

    private static boolean path(String value, List<Path> paths) {
        try {
            paths.add(Path.of(value));
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
