package dev.ward.relay;

import com.google.protobuf.ByteString;
import dev.ward.relay.api.Event;
import dev.ward.relay.api.WatchEvent;
import dev.ward.relay.api.feeder.Alert;
import dev.ward.relay.api.feeder.Log;
import dev.ward.relay.store.StoredEvent;

/**
 * One alert or log inside the relay (immutable; shared by every watcher). Exactly one of alert, log is set;
 * {@code watchEvent} is its form for Ward's Watch stream, built once rather than once per watcher, and
 * {@link #encoded()} that form serialized, also once: with ten watchers, encoding every event ten times was
 * where most of the relay's time went.
 */
final class RelayEvent {
    private final long tsNanos;
    private final Alert alert;
    private final Log log;
    private final String agentId;
    private final WatchEvent watchEvent;
    /** Racy single-check: two threads may both encode, with equal results. */
    private ByteString encoded;

    private RelayEvent(long tsNanos, Alert alert, Log log, String agentId, WatchEvent watchEvent) {
        this.tsNanos = tsNanos;
        this.alert = alert;
        this.log = log;
        this.agentId = agentId;
        this.watchEvent = watchEvent;
    }

    long tsNanos() {
        return tsNanos;
    }

    Alert alert() {
        return alert;
    }

    Log log() {
        return log;
    }

    String agentId() {
        return agentId;
    }

    WatchEvent watchEvent() {
        return watchEvent;
    }

    /** {@link #watchEvent()} serialized (ByteString is immutable, so publishing it racily is safe). */
    ByteString encoded() {
        ByteString e = encoded;
        if (e == null) {
            e = watchEvent.toByteString();
            encoded = e;
        }
        return e;
    }

    static RelayEvent of(Event e, String agentId) {
        return make(StoredEvent.timeOf(e), e, agentId);
    }

    static RelayEvent of(StoredEvent s) {
        return make(s.tsNanos(), s.event(), s.agentId());
    }

    private static RelayEvent make(long tsNanos, Event e, String agentId) {
        Alert alert = e.hasAlert() ? e.getAlert() : null;
        Log log = e.hasAlert() ? null : e.getLog();
        WatchEvent.Builder b = WatchEvent.newBuilder().setTimestampNanos(tsNanos).setTid(e.getTid())
                .setCwd(e.getCwd());
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

    String namespaceName() {
        return isAlert() ? alert.getNamespaceName() : log.getNamespaceName();
    }

    String podName() {
        return isAlert() ? alert.getPodName() : log.getPodName();
    }

    String containerImage() {
        return isAlert() ? alert.getContainerImage() : log.getContainerImage();
    }

    String labels() {
        return isAlert() ? alert.getLabels() : log.getLabels();
    }

}
