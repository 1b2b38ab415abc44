package dev.ward.deploy;

import java.io.Serial;

/** The input cannot be protected as asked; the message names the container and field (or file, line and column). */
public final class InjectException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;
    private final boolean located;
    private final int exitCode;

    public InjectException(String message) {
        this(message, false);
    }

    /** {@code located}: the message already starts with the file (and line and column), e.g. for a syntax error. */
    public InjectException(String message, boolean located) {
        this(message, located, located ? 2 : 1);
    }

    private InjectException(String message, boolean located, int exitCode) {
        super(message);
        this.located = located;
        this.exitCode = exitCode;
    }

    /** The input is readable but inject will not change it as it is (exit 2, like bad input); the message says why. */
    public static InjectException refused(String message) {
        return new InjectException(message, false, 2);
    }

    /** The same problem, its message prefixed (a CloudFormation resource's name, say). */
    public InjectException prefixed(String prefix) {
        return new InjectException(prefix + getMessage(), located, exitCode);
    }

    /** 2 for input the user must change, 1 when something around it failed (a registry, say). */
    public int exitCode() {
        return exitCode;
    }

    /** Whether the message already names the file. */
    public boolean located() {
        return located;
    }
}
