package dev.ward.console;

/** A request the console answers with {@code {"error": message}} and {@code status}. */
final class ApiError extends RuntimeException {
    private final int status;

    ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
