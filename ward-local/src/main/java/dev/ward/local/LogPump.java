package dev.ward.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Follows one container's log ({@code podman logs -f}, k8s-file driver) into a {@link LogSink}: the
 * container's stdout and stderr stay apart. Ends by itself when the container stops.
 */
final class LogPump {
    private final Process process;
    private final Thread out;
    private final Thread err;

    LogPump(Podman podman, String container, String podmanName, LogSink sink) {
        try {
            process = podman.builder(List.of("logs", "--follow", podmanName))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new LocalException("cannot follow the logs of " + container + ": " + e.getMessage(), e);
        }
        out = Thread.ofPlatform().daemon(true).name("logs-" + container).start(() -> pump(process.getInputStream(), container, false, sink));
        err = Thread.ofPlatform().daemon(true).name("logs-err-" + container).start(() -> pump(process.getErrorStream(), container, true, sink));
    }

    private static void pump(InputStream in, String container, boolean stderr, LogSink sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                sink.line(container, stderr, line);
            }
        } catch (IOException e) {
            // the process was destroyed: nothing more to show
        }
    }

    /** Waits up to {@code millis} for the log to end (the container stopped), then stops following. */
    void finish(long millis) {
        try {
            if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                process.destroy();
            }
            out.join(1000);
            err.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
        }
    }
}
