package dev.ward.relay.store;

import java.io.Serial;

/** The store could not do what was asked; the message says what and why. */
public final class StoreException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
