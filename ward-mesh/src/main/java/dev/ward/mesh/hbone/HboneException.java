package dev.ward.mesh.hbone;

import java.io.IOException;

/** An HBONE connection or stream that could not be used: a refused peer, a wrong identity, a protocol error. */
public final class HboneException extends IOException {

    private static final long serialVersionUID = 1L;

    public HboneException(String message) {
        super(message);
    }

    public HboneException(String message, Throwable cause) {
        super(message, cause);
    }
}
