package dev.ward.console;

import com.sun.net.httpserver.HttpExchange;
import dev.ward.relay.ConsoleHost;
import dev.ward.relay.store.Alerts;
import dev.ward.relay.store.StoredEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;

/**
 * {@code GET /api/alerts/stream}: server-sent events, one {@code event: alert} per new alert the filters select,
 * a {@code : keepalive} comment every {@link #KEEPALIVE_MILLIS}. Each stream reads its own bounded feed from the
 * relay's fan-out ({@link ConsoleHost#liveAlerts}): a browser that reads slowly loses alerts (told with an {@code
 * event: dropped} giving the count), and ingest never waits for it. At most {@link #MAX_STREAMS} at once.
 */
final class AlertStream {
    static final long KEEPALIVE_MILLIS = 15_000;
    static final int MAX_STREAMS = 64;
    /** Alerts held for one stream before it starts losing them. */
    static final int QUEUE = 1024;

    private final ConsoleHost relay;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    private final long keepaliveMillis;

    AlertStream(ConsoleHost relay, long keepaliveMillis) {
        this.relay = relay;
        this.keepaliveMillis = keepaliveMillis;
    }

    void serve(HttpExchange ex, Alerts.Query filters) throws IOException {
        if (!streams.tryAcquire()) {
            throw new ApiError(503, "too many live streams are open (" + MAX_STREAMS + ")");
        }
        try (ConsoleHost.LiveAlerts feed = relay.liveAlerts(QUEUE)) {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("X-Accel-Buffering", "no");
            ex.sendResponseHeaders(200, 0); // chunked
            OutputStream out = ex.getResponseBody();
            write(out, ": live alerts from now on\n\n");
            long lastWrite = System.currentTimeMillis();
            long reported = 0;
            while (true) {
                StoredEvent e = feed.poll(Math.max(1, Math.min(1000, keepaliveMillis)));
                long dropped = feed.dropped();
                if (dropped > reported) {
                    write(out, "event: dropped\ndata: {\"count\":" + (dropped - reported) + ",\"total\":" + dropped
                            + "}\n\n");
                    reported = dropped;
                    lastWrite = System.currentTimeMillis();
                }
                if (e != null && filters.matches(e.event().getAlert())) {
                    String id = Alerts.id(e.agentId(), e.tsNanos(), e.event().getAlert());
                    write(out, "event: alert\nid: " + id + "\ndata: "
                            + Http.JSON.writeValueAsString(AlertsApi.alert(id, e)) + "\n\n");
                    lastWrite = System.currentTimeMillis();
                } else if (System.currentTimeMillis() - lastWrite >= keepaliveMillis) {
                    write(out, ": keepalive\n\n");
                    lastWrite = System.currentTimeMillis();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.release();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
