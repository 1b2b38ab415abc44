package dev.ward.image;

import dev.ward.registry.Descriptor;
import dev.ward.registry.TransferProgress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows a push's blobs on stderr: on a terminal, one line per blob redrawn in place with a bar, the percentage and
 * the megabytes moved; otherwise (a CI log, a file) plain lines, one when a blob starts moving and one when it is
 * done, with no control characters. Thread-safe: the HTTP client reports bytes from its own threads.
 */
final class ProgressPrinter implements TransferProgress {
    private static final int BAR = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final String prefix;
    private long lastDraw;
    private String action = "push";

    ProgressPrinter(PrintStream out, boolean terminal, String prefix) {
        this.out = out;
        this.terminal = terminal;
        this.prefix = prefix;
    }

    /** For {@code command} ("ward image embed") on stderr, with a bar when the process has a terminal. */
    static ProgressPrinter forStderr(String command) {
        java.io.Console console = System.console();
        return new ProgressPrinter(System.err, console != null && console.isTerminal(), command + ": ");
    }

    @Override
    public synchronized void started(Descriptor blob, String action) {
        this.action = action;
        if (terminal) {
            draw(blob, 0, true);
        } else {
            out.println(prefix + action + " " + name(blob) + " (" + megabytes(blob.size()) + ")");
        }
    }

    @Override
    public synchronized void advanced(Descriptor blob, long bytes) {
        if (terminal) {
            draw(blob, bytes, false);
        }
    }

    @Override
    public synchronized void finished(Descriptor blob, String outcome) {
        String line = prefix + outcome + " " + name(blob) + ("exists".equals(outcome) || "mounted".equals(outcome)
                ? "" : " (" + megabytes(blob.size()) + ")");
        if (terminal) {
            out.print("\r" + line + "\033[K\n");
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Redraws the current line at most every 100 ms (and always when {@code force}). */
    private void draw(Descriptor blob, long bytes, boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        long size = Math.max(blob.size(), 1);
        int filled = (int) Math.min(BAR, bytes * BAR / size);
        out.print("\r" + prefix + action + " " + name(blob) + " [" + "#".repeat(filled) + "-".repeat(BAR - filled)
                + "] " + String.format(Locale.ROOT, "%3d%%", Math.min(100, bytes * 100 / size)) + " "
                + megabytes(bytes) + " / " + megabytes(blob.size()) + "\033[K");
        out.flush();
    }

    /** "sha256:0123456789ab": the digest's first 12 hex digits, as docker shows layers. */
    static String name(Descriptor blob) {
        String d = blob.digest();
        int colon = d.indexOf(':');
        return colon < 0 || d.length() < colon + 13 ? d : d.substring(0, colon + 13);
    }

    static String megabytes(long bytes) {
        return bytes < 0 ? "? MB" : String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }
}
