package dev.ward.bindings;

/**
 * A native call failed. The message reads {@code call(args): ERRNO (message) — likely cause}, so that
 * a person can act on it without reading the source.
 */
public final class NativeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public NativeException(String call, int errno, String likelyCause) {
        super(call + ": " + Errno.name(errno) + " (" + Errno.message(errno) + ")"
                + (likelyCause == null || likelyCause.isEmpty() ? "" : " — " + likelyCause));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
