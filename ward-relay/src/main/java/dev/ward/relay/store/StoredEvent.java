package dev.ward.relay.store;

import dev.ward.relay.api.Event;

/** One alert or log read back from the store, with the agent that sent it. */
public record StoredEvent(long tsNanos, Event event, String agentId) {
    public boolean alert() {
        return event.hasAlert();
    }

    public String containerName() {
        return event.hasAlert() ? event.getAlert().getContainerName() : event.getLog().getContainerName();
    }

    public String operation() {
        return event.hasAlert() ? event.getAlert().getOperation() : event.getLog().getOperation();
    }

    /** The event's time: its nanosecond timestamp, else the feeder message's seconds. */
    public static long timeOf(Event e) {
        if (e.getTimestampNanos() != 0) {
            return e.getTimestampNanos();
        }
        return (e.hasAlert() ? e.getAlert().getTimestamp() : e.getLog().getTimestamp()) * 1_000_000_000L;
    }
}
