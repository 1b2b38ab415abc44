package dev.ward.relay.client;

import dev.ward.api.telemetry.Sink;
import dev.ward.api.telemetry.Telemetry;

/**
 * The agent's telemetry to the relay: converts on the exporter thread and hands over to the bounded
 * {@link EventBuffer}; never blocks (a full buffer drops and counts).
 */
final class RelaySink implements Sink {
    private final EventBuffer buffer;

    RelaySink(EventBuffer buffer) {
        this.buffer = buffer;
    }

    @Override
    public void write(Telemetry t) {
        buffer.offer(TelemetryProtos.toEvent(t));
    }

    @Override
    public void flush() {
        // The sender thread ships continuously; nothing is held here.
    }

    @Override
    public void close() {
        // The plugin's stop() drains the buffer (bounded by WARD_RELAY_DRAIN_TIMEOUT).
    }
}
