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
                + "container_name, events, payload, commit_id, chunk_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
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
        String container = new StoredEvent(0, chunk.getFirst(), agentId).containerName();
        for (Event e : chunk) {
            if (!container.equals(new StoredEvent(0, e, agentId).containerName())) {
                container = "";
                break;
            }
        }
        ps.setLong(1, first);
        ps.setLong(2, last);
        ps.setString(3, agentId);
        ps.setString(4, container);
        ps.setInt(5, chunk.size());
        ps.setBytes(6, EventBatch.newBuilder().addAllEvents(chunk).build().toByteArray());
        ps.setLong(7, commitId);
        ps.setInt(8, chunkNo);
        ps.addBatch();
    }
}
