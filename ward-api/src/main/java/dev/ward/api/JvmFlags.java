package dev.ward.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags Ward's launchers start the JVM with, from the one file they all read ({@code
 * dev/ward/api/jvm.flags}; the shell launchers read a copy the build puts next to the jars): the agent's ({@code
 * ward run}) and the other commands'.
 */
public final class JvmFlags {
    static final String RESOURCE = "jvm.flags";

    private JvmFlags() {
    }

    /** The agent's flags ({@code ward run}), in the file's order. */
    public static List<String> agent() {
        return parse(read(), "run");
    }

    /** The flags of the commands other than {@code ward run}. */
    public static List<String> cli() {
        return parse(read(), "cli");
    }

    /**
     * The flags of {@code text} (the file's format) for {@code scope}, run or cli: bare lines and the lines
     * that start with the scope's name.
     */
    static List<String> parse(String text, String scope) {
        List<String> flags = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            if (words.length == 1 && words[0].startsWith("-")) {
                flags.add(words[0]);
            } else if (words.length == 2 && (words[0].equals("run") || words[0].equals("cli"))
                    && words[1].startsWith("-")) {
                if (words[0].equals(scope)) {
                    flags.add(words[1]);
                }
            } else {
                throw new IllegalArgumentException(RESOURCE + " line " + (i + 1) + ": expected FLAG, run FLAG or cli"
                        + " FLAG (a flag starts with '-'), got '" + line + "'");
            }
        }
        return List.copyOf(flags);
    }

    private static String read() {
        try (InputStream in = JvmFlags.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from ward-api's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
