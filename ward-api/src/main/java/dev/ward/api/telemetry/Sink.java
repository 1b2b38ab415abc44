package dev.ward.api.telemetry;

import java.io.IOException;

/** Where telemetry goes. Called only from the exporter thread. */
public interface Sink extends AutoCloseable {
    void write(Telemetry t) throws IOException;

    /** Called when the queue has drained: push buffered bytes out. */
    void flush() throws IOException;

    @Override
    void close() throws IOException;
}
