package dev.ward.relay.store;

import dev.ward.relay.api.Event;
import dev.ward.relay.api.EventBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes agents' batches as chunks (see the migration scripts): consecutive events of one agent spanning at
 * most {@link Store#MAX_CHUNK_SPAN_NANOS}, an event earlier than its chunk's first starting a new chunk. Each
 * chunk carries the transaction's commit id and its place in it, which is what other relays read back after
 * the commit was announced ({@link #announce}).
 */
final class EventAppender {
    /** The channel on which committed chunks are announced: payload "RELAY-ID COMMIT-ID". */
    static final String EVENTS_CHANNEL = "ward_events";

    private EventAppender() {
    }

    static void append(Connection c, List<Store.Batch> batches, long commitId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ward_events (ts_first, ts_last, agent_id, "
                + "container_name, events, payload, commit_id, chunk_no, namespace_name, pod_name, task_id, "
                + "container_image) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int chunkNo = 0;
            for (Store.Batch b : batches) {
                List<Event> all = b.events();
                int from = 0;
                while (from < all.size()) {
                    long first = StoredEvent.timeOf(all.get(from));
                    long last = first;
                    int to = from + 1;
                    while (to < all.size()) {
                        long t = StoredEvent.timeOf(all.get(to));
                        if (t < first || t - first > Store.MAX_CHUNK_SPAN_NANOS) {
                            break;
                        }
                        last = Math.max(last, t);
                        to++;
                    }
                    addChunk(ps, b.agentId(), all.subList(from, to), first, last, commitId, chunkNo++);
                    from = to;
                }
            }
            ps.executeBatch();
        }
        AlertRows.insert(c, batches);
    }

    /**
     * PostgreSQL NOTIFY in the storing transaction: delivered to the listening relays only if, and once, it
     * commits, and in commit order.
     */
    static void announce(Connection c, String relayId, long commitId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, EVENTS_CHANNEL);
            ps.setString(2, relayId + " " + commitId);
            ps.execute();
        }
    }

    private static void addChunk(PreparedStatement ps, String agentId, List<Event> chunk, long first, long last,
            long commitId, int chunkNo) throws SQLException {
        StoredEvent head = new StoredEvent(0, chunk.getFirst(), agentId);
        String container = head.containerName();
        String namespace = head.namespaceName();
        String pod = head.podName();
        String labels = head.labels();
        String image = head.containerImage();
        for (Event e : chunk) { // an agent's events mostly share all of these: one pass, equals on the same strings
            StoredEvent s = new StoredEvent(0, e, agentId);
            container = container.equals(s.containerName()) ? container : "";
            namespace = namespace.equals(s.namespaceName()) ? namespace : "";
            pod = pod.equals(s.podName()) ? pod : "";
            labels = labels.equals(s.labels()) ? labels : "";
            image = image.equals(s.containerImage()) ? image : "";
        }
        ps.setLong(1, first);
        ps.setLong(2, last);
        ps.setString(3, agentId);
        ps.setString(4, container);
        ps.setInt(5, chunk.size());
        ps.setBytes(6, EventBatch.newBuilder().addAllEvents(chunk).build().toByteArray());
        ps.setLong(7, commitId);
        ps.setInt(8, chunkNo);
        ps.setString(9, fit(namespace, 253));
        ps.setString(10, fit(pod, 253));
        ps.setString(11, fit(StoredEvent.taskId(StoredEvent.taskArn(labels)), 64));
        ps.setString(12, fit(image, 1024));
        ps.addBatch();
    }

    /** A value too long for its column is not indexed ('': the chunk is read for every query). */
    private static String fit(String value, int max) {
        return value.length() <= max ? value : "";
    }
}
