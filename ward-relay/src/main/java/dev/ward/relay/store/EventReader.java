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
            List<Chunk> page = chunks(events, since, q, rows + 1);
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
                EventBatch batch = parse(c.payload(), c.agentId());
                for (Event e : batch.getEventsList()) {
                    long t = StoredEvent.timeOf(e);
                    StoredEvent s = new StoredEvent(t, e, c.agentId());
                    if (t >= since && t < boundary && q.matches(s)) {
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

    private static EventBatch parse(byte[] payload, String agentId) throws StoreException {
        try {
            return EventBatch.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new StoreException("store: a stored chunk of agent " + agentId + " is corrupt: " + e.getMessage(),
                    e);
        }
    }

    /** The events of one commit ({@link EventAppender}), in the order they were stored. */
    static List<StoredEvent> commit(Db db, long commitId) throws StoreException {
        List<Chunk> chunks = db.call(c -> {
            List<Chunk> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT agent_id, payload FROM ward_events WHERE commit_id = ? ORDER BY chunk_no")) {
                ps.setLong(1, commitId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Chunk(0, rs.getString(1), rs.getBytes(2)));
                    }
                }
            }
            return out;
        });
        List<StoredEvent> out = new ArrayList<>();
        for (Chunk c : chunks) {
            for (Event e : parse(c.payload(), c.agentId()).getEventsList()) {
                out.add(new StoredEvent(StoredEvent.timeOf(e), e, c.agentId()));
            }
        }
        return out;
    }

    /**
     * The chunks that may hold what {@code q} asks for: a chunk's column is '' when its events differ in it (or
     * came from agents older than the column), so '' always qualifies and the events are checked one by one.
     */
    private static List<Chunk> chunks(Db events, long since, EventQuery q, int limit) throws StoreException {
        List<String> values = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ts_first, agent_id, payload FROM ward_events WHERE ts_first >= ? "
                + "AND ts_last >= ?");
        narrow(sql, values, "container_name", q.container());
        narrow(sql, values, "namespace_name", q.namespace());
        narrow(sql, values, "pod_name", q.pod());
        narrow(sql, values, "task_id", q.task().isEmpty() ? "" : StoredEvent.taskId(q.task()));
        if (!q.image().isEmpty()) {
            sql.append(" AND (container_image IN (?, '') OR container_image LIKE ? ESCAPE '!' OR container_image "
                    + "LIKE ? ESCAPE '!')");
            String prefix = q.image().replace("!", "!!").replace("%", "!%").replace("_", "!_");
            values.addAll(List.of(q.image(), prefix + ":%", prefix + "@%"));
        }
        sql.append(" ORDER BY ts_first LIMIT ?");
        return events.call(c -> {
            List<Chunk> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                ps.setLong(i++, since - Store.MAX_CHUNK_SPAN_NANOS);
                ps.setLong(i++, since);
                for (String v : values) {
                    ps.setString(i++, v);
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

    private static void narrow(StringBuilder sql, List<String> values, String column, String value) {
        if (!value.isEmpty()) {
            sql.append(" AND ").append(column).append(" IN (?, '')");
            values.add(value);
        }
    }
}
