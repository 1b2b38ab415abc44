package dev.ward.registry;

import java.io.Serial;

/** An image could not be read; the message names the image and the reason, for the user. */
public class RegistryException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
