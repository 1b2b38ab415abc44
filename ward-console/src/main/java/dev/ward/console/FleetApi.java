package dev.ward.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.ward.relay.ConsoleHost;
import dev.ward.relay.api.AgentInfo;
import dev.ward.relay.store.StoredEvent;
import java.io.IOException;
import java.util.Map;

/**
 * {@code GET /api/fleet}: the connected agents of every relay sharing the store, and the ones that left this relay
 * in the last hour. Namespace, pod and image are those of the agent's last event ("" before its first, and for the
 * agents of other relays).
 */
final class FleetApi implements Api.Area {
    private final ConsoleHost relay;

    FleetApi(ConsoleHost relay) {
        this.relay = relay;
    }

    @Override
    public boolean handle(HttpExchange ex, String method, String path, Sessions.Session session) throws IOException {
        if (!path.equals("/api/fleet")) {
            return false;
        }
        Api.require(method, "GET", path);
        ObjectNode body = Http.JSON.createObjectNode();
        ArrayNode list = body.putArray("agents");
        for (ConsoleHost.Agent a : relay.fleet()) {
            AgentInfo i = a.info();
            Map<String, String> labels = i.getLabelsMap();
            StoredEvent e = a.lastEvent();
            ObjectNode n = list.addObject().put("id", i.getAgentId()).put("relay", i.getRelay())
                    .put("container", i.getContainerName()).put("task", i.getTaskArn()).put("family", i.getTaskFamily())
                    .put("namespace", e == null ? "" : e.namespaceName()).put("pod", e == null ? "" : e.podName())
                    .put("image", e == null ? "" : e.containerImage()).put("host", i.getHostName())
                    .put("version", i.getVersion()).put("remote", i.getRemoteAddress())
                    .put("connectedAt", i.getConnectedUnixMillis()).put("lastSeen", a.lastSeenMillis())
                    .put("lastEvent", i.getLastEventUnixMillis()).put("dropped", i.getAgentDropped())
                    .put("events", i.getEventsReceived()).put("policyVersion", i.getPolicyVersion())
                    .put("state", a.connected() ? "connected" : "gone");
            ArrayNode policies = n.putArray("policies");
            a.policies().forEach(policies::add);
            ObjectNode l = n.putObject("labels");
            labels.forEach(l::put);
        }
        Http.json(ex, 200, body);
        return true;
    }
}
