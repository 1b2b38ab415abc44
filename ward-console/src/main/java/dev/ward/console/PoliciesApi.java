package dev.ward.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.ward.relay.ConsoleHost;
import dev.ward.relay.api.PolicyResult;
import dev.ward.relay.api.policy.PolicyStatus;
import dev.ward.relay.store.StoreException;
import dev.ward.relay.store.StoredPolicy;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/policies}: the stored policies, one policy's YAML, the linter ({@link PolicyLint}) and, for admins,
 * add and delete, through the relay's registry exactly as {@code ward policy add|delete} do (all documents or none,
 * then sent to the agents they select).
 */
final class PoliciesApi implements Api.Area {
    private static final String PREFIX = "/api/policies/";
    /** Where stored policies came from, as {@code ward policy add} gives the file name. */
    private static final String ORIGIN = "console";

    private final ConsoleHost relay;

    PoliciesApi(ConsoleHost relay) {
        this.relay = relay;
    }

    @Override
    public boolean handle(HttpExchange ex, String method, String path, Sessions.Session session) throws IOException {
        if (!path.equals("/api/policies") && !path.startsWith(PREFIX)) {
            return false;
        }
        try {
            if (path.equals("/api/policies")) {
                switch (method) {
                    case "GET" -> list(ex);
                    case "PUT" -> {
                        Api.requireAdmin(session);
                        put(ex, Http.text(Http.body(ex), "yaml"));
                    }
                    default -> throw new ApiError(405, method + " " + path + ": expected GET or PUT");
                }
            } else if (path.equals(PREFIX + "lint")) {
                Api.require(method, "POST", path);
                Http.json(ex, 200, PolicyLint.lint(Http.text(Http.body(ex), "yaml")));
            } else {
                one(ex, method, path, session);
            }
        } catch (StoreException e) {
            throw new ApiError(503, e.getMessage());
        }
        return true;
    }

    private void list(HttpExchange ex) throws IOException {
        ObjectNode body = Http.JSON.createObjectNode();
        ArrayNode list = body.putArray("policies");
        for (ConsoleHost.Policy p : relay.policies()) {
            ObjectNode n = list.addObject().put("kind", p.stored().kind()).put("name", p.stored().name())
                    .put("namespace", p.stored().namespace()).put("action", p.action())
                    .put("version", p.stored().version()).put("updated", p.stored().updatedMillis());
            ArrayNode reaches = n.putArray("reaches");
            p.reaches().forEach(reaches::add);
        }
        Http.json(ex, 200, body);
    }

    private void put(HttpExchange ex, String yaml) throws IOException, StoreException {
        ObjectNode lint = PolicyLint.lint(yaml);
        if (PolicyLint.hasErrors(lint)) {
            Http.json(ex, 422, Http.JSON.createObjectNode().set("problems", lint.get("problems")));
            return;
        }
        List<PolicyResult> results = relay.apply(yaml, ORIGIN);
        for (PolicyResult r : results) {
            if (r.getStatus() == PolicyStatus.Invalid || r.getStatus() == PolicyStatus.Failure) {
                throw new ApiError(422, r.getMessage());
            }
        }
        ObjectNode body = Http.JSON.createObjectNode();
        ArrayNode stored = body.putArray("stored");
        for (PolicyResult r : results) {
            stored.addObject().put("kind", r.getKind()).put("name", r.getName()).put("namespace", r.getNamespace())
                    .put("version", r.getVersion()).put("unchanged", r.getUnchanged()).put("agents", r.getAgents());
        }
        Http.json(ex, 200, body);
    }

    /** {@code /api/policies/KIND/NAME?namespace=NS}: GET or (admin) DELETE. */
    private void one(HttpExchange ex, String method, String path, Sessions.Session session)
            throws IOException, StoreException {
        String[] parts = path.substring(PREFIX.length()).split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new ApiError(404, "no such API: " + method + " " + path + " (expected /api/policies/KIND/NAME)");
        }
        String kind = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        String name = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
        if (!kind.equals(StoredPolicy.KUBEARMOR) && !kind.equals(StoredPolicy.AUTHORIZATION)) {
            throw new ApiError(400, "kind '" + kind + "': expected " + StoredPolicy.KUBEARMOR + " or "
                    + StoredPolicy.AUTHORIZATION);
        }
        Map<String, String> query = Http.query(ex);
        String namespace = query.getOrDefault("namespace", "");
        switch (method) {
            case "GET" -> {
                StoredPolicy p = relay.policy(kind, namespace, name).orElseThrow(() -> new ApiError(404,
                        "no " + kind + " " + StoredPolicy.key(namespace, name) + " on the relay"));
                Http.json(ex, 200, Http.JSON.createObjectNode().put("kind", p.kind()).put("name", p.name())
                        .put("namespace", p.namespace()).put("version", p.version()).put("yaml", p.yaml()));
            }
            case "DELETE" -> {
                Api.requireAdmin(session);
                PolicyResult r = relay.delete(kind, namespace, name);
                switch (r.getStatus()) {
                    case Deleted -> Http.noContent(ex);
                    case NotExist -> throw new ApiError(404, r.getMessage());
                    default -> throw new ApiError(409, r.getMessage());
                }
            }
            default -> throw new ApiError(405, method + " " + path + ": expected GET or DELETE");
        }
    }
}
