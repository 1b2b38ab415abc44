package dev.ward.registry;

/**
 * What a push reports about each blob it moves ({@link RegistryPush#progress}), for a progress display. Called on
 * the pushing thread and, for {@link #advanced}, on the HTTP client's threads while a body is sent: an
 * implementation must be thread-safe and quick.
 */
public interface TransferProgress {
    /** Reports nothing. */
    TransferProgress NONE = new TransferProgress() {
        @Override
        public void started(Descriptor blob, String action) {
        }

        @Override
        public void advanced(Descriptor blob, long bytes) {
        }

        @Override
        public void finished(Descriptor blob, String outcome) {
        }
    };

    /** {@code blob} starts to move: {@code action} is "push" (upload) or "pull" (download, to copy it elsewhere). */
    void started(Descriptor blob, String action);

    /** {@code bytes} of {@code blob} moved so far in the current action. */
    void advanced(Descriptor blob, long bytes);

    /** Done with {@code blob}: "pushed", "pulled", "exists" (the repository had it) or "mounted" (from another repository). */
    void finished(Descriptor blob, String outcome);
}
