package dev.ward.deploy;

import java.io.Serial;

/** The input cannot be protected as asked; the message names the container and field. */
public final class InjectException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    public InjectException(String message) {
        super(message);
    }
}
