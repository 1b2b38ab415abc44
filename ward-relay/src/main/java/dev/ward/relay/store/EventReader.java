package dev.ward.relay.store;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ward.relay.api.Event;
import dev.ward.relay.api.EventBatch;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Reads stored events back in time order from the chunks {@link Store#appendEvents} wrote. */
final class EventReader {
    private EventReader() {
    }

    /** A stored chunk as read. */
    private record Chunk(long first, String agentId, byte[] payload) {
    }

    /**
     * Events from {@code q.sinceNanos()} on, in time order. Chunks overlap in time (agents send concurrently),
     * so each round reads chunks in order of their first event and releases only the events earlier than the
     * first event of the next chunk not read yet; the next round starts there.
     */
    static List<StoredEvent> read(Db events, EventQuery q) throws StoreException {
        List<StoredEvent> out = new ArrayList<>();
        long since = q.sinceNanos();
        int rows = 64;
        while (out.size() < q.limit()) {
            List<Chunk> page = chunks(events, since, q.container(), rows + 1);
            boolean more = page.size() > rows;
            long boundary = more ? page.get(rows).first() : Long.MAX_VALUE;
            if (more && boundary <= since && rows < (1 << 16)) {
                rows *= 4; // more chunks start at the same nanosecond than one round reads
                continue;
            }
            if (boundary <= since) {
                boundary = since + 1;
            }
            List<StoredEvent> round = new ArrayList<>();
            for (Chunk c : more ? page.subList(0, rows) : page) {
                EventBatch batch;
                try {
                    batch = EventBatch.parseFrom(c.payload());
                } catch (InvalidProtocolBufferException e) {
                    throw new StoreException("store: a stored chunk of agent " + c.agentId() + " is corrupt: "
                            + e.getMessage(), e);
                }
                for (Event e : batch.getEventsList()) {
                    long t = StoredEvent.timeOf(e);
                    StoredEvent s = new StoredEvent(t, e, c.agentId());
                    if (t >= since && t < boundary && matches(s, q)) {
                        round.add(s);
                    }
                }
            }
            round.sort(java.util.Comparator.comparingLong(StoredEvent::tsNanos));
            for (StoredEvent s : round) {
                if (out.size() == q.limit()) {
                    break;
                }
                out.add(s);
            }
            if (!more) {
                break;
            }
            since = boundary;
        }
        return out;
    }

    private static boolean matches(StoredEvent s, EventQuery q) {
        return (q.kind() == null || q.kind() == s.alert())
                && (q.container().isEmpty() || q.container().equals(s.containerName()))
                && (q.operation().isEmpty() || q.operation().equalsIgnoreCase(s.operation()));
    }

    private static List<Chunk> chunks(Db events, long since, String container, int limit) throws StoreException {
        String sql = "SELECT ts_first, agent_id, payload FROM ward_events WHERE ts_first >= ? AND ts_last >= ?"
                + (container.isEmpty() ? "" : " AND container_name IN (?, '')") + " ORDER BY ts_first LIMIT ?";
        return events.call(c -> {
            List<Chunk> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setLong(i++, since - Store.MAX_CHUNK_SPAN_NANOS);
                ps.setLong(i++, since);
                if (!container.isEmpty()) {
                    ps.setString(i++, container);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Chunk(rs.getLong(1), rs.getString(2), rs.getBytes(3)));
                    }
                }
            }
            return out;
        });
    }
}
