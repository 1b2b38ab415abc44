package dev.ward.local;

/**
 * SIGINT/SIGTERM handlers for {@code ward local run}: the JVM's default would run shutdown hooks and exit
 * with 130/143, but the task must be stopped in order first and the exit code is the container's.
 * {@code sun.misc.Signal} (module jdk.unsupported) is the JDK's only way to handle a signal in Java; this
 * is CLI code, never loaded in the agent.
 */
final class Signals {
    private Signals() {}

    // javac warns about sun.misc.Signal whatever we do: no @SuppressWarnings silences "internal proprietary API".
    static void handle(String name, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> action.run());
        } catch (IllegalArgumentException e) {
            // the JVM keeps this signal (e.g. -Xrs): fall back to the default behaviour
        }
    }
}
