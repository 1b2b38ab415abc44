package dev.ward.local;

/**
 * Something {@code ward local} cannot do, with a message meant for the user (it names the file, the
 * container and the field, or the podman command that failed).
 */
public class LocalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LocalException(String message) {
        super(message);
    }

    public LocalException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Bad input (task definition, secrets file, options): {@code ward local run} exits with 2. */
    public static final class BadInput extends LocalException {
        private static final long serialVersionUID = 1L;

        public BadInput(String message) {
            super(message);
        }
    }
}
