package dev.ward.relay;

import dev.ward.relay.api.feeder.Message;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * KubeArmor's WatchMessages: the relay's own status lines (agents connecting and leaving). Rare and small,
 * so they are sent directly, skipping a watcher whose client is not ready instead of queueing.
 */
final class Messages {
    private final CopyOnWriteArrayList<ServerCallStreamObserver<Message>> watchers = new CopyOnWriteArrayList<>();
    private final String hostName;

    Messages(String hostName) {
        this.hostName = hostName;
    }

    void add(ServerCallStreamObserver<Message> w) {
        watchers.add(w);
        w.setOnCancelHandler(() -> watchers.remove(w));
    }

    void publish(String level, String text) {
        Instant now = Instant.now();
        Message m = Message.newBuilder().setTimestamp(now.getEpochSecond()).setUpdatedTime(now.toString())
                .setHostName(hostName).setType("Message").setLevel(level).setMessage(text).build();
        for (ServerCallStreamObserver<Message> w : watchers) {
            synchronized (w) {
                if (!w.isCancelled() && w.isReady()) {
                    w.onNext(m);
                }
            }
        }
    }

    /** Sends one message to one new watcher. */
    void greet(ServerCallStreamObserver<Message> w, String text) {
        Instant now = Instant.now();
        synchronized (w) {
            w.onNext(Message.newBuilder().setTimestamp(now.getEpochSecond()).setUpdatedTime(now.toString())
                    .setHostName(hostName).setType("Message").setLevel("INFO").setMessage(text).build());
        }
    }
}
