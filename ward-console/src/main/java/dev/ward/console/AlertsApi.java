package dev.ward.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.ward.relay.ConsoleHost;
import dev.ward.relay.store.Alerts;
import dev.ward.relay.store.StoreException;
import dev.ward.relay.store.StoredEvent;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code /api/alerts}: pages newest first ({@code before} = the last id of the previous page), one alert with its
 * process tree, alerts per minute by severity (counted by the store), and the live stream ({@link AlertStream}).
 */
final class AlertsApi implements Api.Area {
    private static final long MINUTE_NANOS = 60_000_000_000L;
    private static final String PREFIX = "/api/alerts/";

    private final ConsoleHost relay;
    private final Alerts alerts;
    private final AlertStream stream;

    AlertsApi(ConsoleHost relay, Alerts alerts, AlertStream stream) {
        this.relay = relay;
        this.alerts = alerts;
        this.stream = stream;
    }

    @Override
    public boolean handle(HttpExchange ex, String method, String path, Sessions.Session session) throws IOException {
        if (!path.equals("/api/alerts") && !path.startsWith(PREFIX)) {
            return false;
        }
        Api.require(method, "GET", path);
        Map<String, String> query = Http.query(ex);
        try {
            switch (path) {
                case "/api/alerts" -> page(ex, query);
                case PREFIX + "histogram" -> histogram(ex, query);
                case PREFIX + "stream" -> stream.serve(ex, filters(query));
                default -> one(ex, java.net.URLDecoder.decode(path.substring(PREFIX.length()),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (StoreException e) {
            throw new ApiError(503, e.getMessage());
        }
        return true;
    }

    /** The filters every alert route takes: container, policy, severity (the least), operation, action, q. */
    static Alerts.Query filters(Map<String, String> q) {
        String action = q.getOrDefault("action", "");
        if (!action.isEmpty() && !List.of("block", "audit", "allow").contains(action.toLowerCase(java.util.Locale.ROOT))) {
            throw new ApiError(400, "action=" + action + ": expected Block, Audit or Allow");
        }
        return new Alerts.Query(q.getOrDefault("container", ""), q.getOrDefault("policy", ""),
                Http.intParam(q, "severity", 0, 0, 10), q.getOrDefault("operation", ""), action, q.getOrDefault("q", ""));
    }

    /** The alert as {@code ward logs --json} prints it, with its id. */
    static ObjectNode alert(String id, StoredEvent event) throws IOException {
        ObjectNode node = Http.JSON.createObjectNode().put("id", id);
        node.setAll((ObjectNode) Http.JSON.readTree(ConsoleHost.json(event)));
        return node;
    }

    private void page(HttpExchange ex, Map<String, String> query) throws IOException, StoreException {
        int limit = Http.intParam(query, "limit", 100, 1, 1000);
        String before = query.get("before");
        List<Alerts.Row> rows;
        try {
            rows = alerts.page(filters(query), before == null || before.isEmpty() ? null : before, limit + 1);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "before=" + before + ": " + e.getMessage());
        }
        ObjectNode body = Http.JSON.createObjectNode();
        ArrayNode list = body.putArray("alerts");
        for (Alerts.Row r : rows.subList(0, Math.min(limit, rows.size()))) {
            list.add(alert(r.id(), r.event()));
        }
        if (rows.size() > limit) {
            body.put("next", rows.get(limit - 1).id());
        } else {
            body.putNull("next");
        }
        Http.json(ex, 200, body);
    }

    private void histogram(HttpExchange ex, Map<String, String> query) throws IOException, StoreException {
        int minutes = Http.intParam(query, "minutes", 60, 1, 24 * 60);
        long nowMinute = System.currentTimeMillis() / 60_000;
        long fromMillis = (nowMinute - minutes + 1) * 60_000;
        List<Alerts.Count> counts = alerts.histogram(filters(query), fromMillis * 1_000_000L, MINUTE_NANOS, minutes);
        Map<Long, Map<String, Long>> byBucket = new TreeMap<>();
        TreeSet<Integer> severities = new TreeSet<>();
        for (Alerts.Count c : counts) {
            byBucket.computeIfAbsent(c.startNanos() / 1_000_000L, k -> new TreeMap<>())
                    .put(Integer.toString(c.severity()), c.count());
            severities.add(c.severity());
        }
        ObjectNode body = Http.JSON.createObjectNode().put("from", fromMillis).put("bucketMillis", 60_000);
        ArrayNode sev = body.putArray("severities");
        severities.forEach(sev::add);
        ArrayNode buckets = body.putArray("buckets");
        for (int i = 0; i < minutes; i++) {
            long t = fromMillis + i * 60_000L;
            ObjectNode b = buckets.addObject().put("t", t);
            ObjectNode c = b.putObject("counts");
            byBucket.getOrDefault(t, Map.of()).forEach(c::put);
        }
        Http.json(ex, 200, body);
    }

    private void one(HttpExchange ex, String id) throws IOException, StoreException {
        Alerts.Row row = alerts.get(id).orElseThrow(() -> new ApiError(404, "no alert " + id));
        ObjectNode body = Http.JSON.createObjectNode();
        body.set("alert", alert(row.id(), row.event()));
        body.set("tree", ProcessTree.of(relay.store(), row.event()));
        Http.json(ex, 200, body);
    }
}
