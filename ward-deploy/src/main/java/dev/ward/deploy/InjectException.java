package dev.ward.deploy;

import java.io.Serial;

/** The input cannot be protected as asked; the message names the container and field (or file, line and column). */
public final class InjectException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;
    private final boolean located;

    public InjectException(String message) {
        this(message, false);
    }

    /** {@code located}: the message already starts with the file (and line and column), e.g. for a syntax error. */
    public InjectException(String message, boolean located) {
        super(message);
        this.located = located;
    }

    /** Whether the message already names the file. */
    public boolean located() {
        return located;
    }
}
