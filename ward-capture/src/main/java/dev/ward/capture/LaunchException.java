package dev.ward.capture;

/** The workload could not be started under supervision; the message says why and what to do. */
public final class LaunchException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public LaunchException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The exit code a shell would use: 126 found but not runnable, 127 not found, 1 otherwise. */
    public int exitCode() {
        return exitCode;
    }
}
