package dev.ward.local;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where container output and Ward's own task events go. Called from several threads (one per container
 * stream): implementations must be thread-safe.
 */
public interface LogSink {
    /** One line a container wrote ({@code stderr}: to its standard error). */
    void line(String container, boolean stderr, String text);

    /** A task event from Ward (container started, exited, health changed, task stopping). */
    void event(String text);

    static LogSink discard() {
        return new LogSink() {
            @Override
            public void line(String container, boolean stderr, String text) {}

            @Override
            public void event(String text) {}
        };
    }

    /**
     * {@code name | line} to {@code out} / {@code err}, names padded to {@code width} and coloured when
     * {@code colour} (a terminal); events as {@code ward | text} on {@code err}.
     */
    static LogSink prefixed(PrintStream out, PrintStream err, boolean colour, int width) {
        List<String> palette = List.of("36", "33", "32", "35", "34", "96", "93", "92", "95", "94");
        Map<String, String> colours = new ConcurrentHashMap<>();
        return new LogSink() {
            @Override
            public void line(String container, boolean stderr, String text) {
                String name = String.format("%-" + Math.max(width, 1) + "s", container);
                if (colour) {
                    String c = colours.computeIfAbsent(container, k -> palette.get(colours.size() % palette.size()));
                    name = "\u001b[" + c + "m" + name + " |\u001b[0m ";
                } else {
                    name = name + " | ";
                }
                PrintStream s = stderr ? err : out;
                synchronized (LogSink.class) {
                    s.println(name + text);
                    s.flush();
                }
            }

            @Override
            public void event(String text) {
                String name = String.format("%-" + Math.max(width, 1) + "s", "ward");
                synchronized (LogSink.class) {
                    err.println((colour ? "\u001b[1m" + name + " |\u001b[0m " : name + " | ") + text);
                    err.flush();
                }
            }
        };
    }
}
