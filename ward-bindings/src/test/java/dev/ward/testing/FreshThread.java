package dev.ward.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * For tests that change the calling thread's own scheduling (its CPU affinity): a fresh platform thread to do it on,
 * so that the test runner's threads keep theirs, and what the kernel then says of that thread.
 */
public final class FreshThread {
    private FreshThread() {
    }

    /** Runs {@code body} on a new platform thread and waits for it; what it throws is rethrown (wrapped) here. */
    public static void run(Runnable body) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                body.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.get();
    }

    /** The calling thread's Cpus_allowed_list, as the kernel writes it ("0-2,5"). */
    public static String allowedList() {
        try {
            return Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                    .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
                    .substring("Cpus_allowed_list:".length()).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
