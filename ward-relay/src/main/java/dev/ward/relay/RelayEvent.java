package dev.ward.relay;

import dev.ward.relay.api.Event;
import dev.ward.relay.api.WatchEvent;
import dev.ward.relay.api.feeder.Alert;
import dev.ward.relay.api.feeder.Log;
import dev.ward.relay.store.StoredEvent;

/**
 * One alert or log inside the relay (immutable; shared by every watcher). Exactly one of alert, log is set;
 * {@code watchEvent} is its form for Ward's Watch stream, built once rather than once per watcher.
 */
record RelayEvent(long tsNanos, Alert alert, Log log, String agentId, WatchEvent watchEvent) {
    static RelayEvent of(Event e, String agentId) {
        long ts = StoredEvent.timeOf(e);
        return e.hasAlert() ? make(ts, e.getAlert(), null, agentId) : make(ts, null, e.getLog(), agentId);
    }

    static RelayEvent of(StoredEvent s) {
        return s.alert() ? make(s.tsNanos(), s.event().getAlert(), null, s.agentId())
                : make(s.tsNanos(), null, s.event().getLog(), s.agentId());
    }

    private static RelayEvent make(long tsNanos, Alert alert, Log log, String agentId) {
        WatchEvent.Builder b = WatchEvent.newBuilder().setTimestampNanos(tsNanos);
        WatchEvent w = alert != null ? b.setAlert(alert).build() : b.setLog(log).build();
        return new RelayEvent(tsNanos, alert, log, agentId, w);
    }

    boolean isAlert() {
        return alert != null;
    }

    String containerName() {
        return isAlert() ? alert.getContainerName() : log.getContainerName();
    }

    String operation() {
        return isAlert() ? alert.getOperation() : log.getOperation();
    }

}
