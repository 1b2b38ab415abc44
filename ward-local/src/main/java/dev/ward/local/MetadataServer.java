package dev.ward.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The local ECS task metadata endpoint (v4): an HTTP server in the Ward process, on the host's 127.0.0.1
 * (containers reach it as {@value PodmanPlan#HOST_FROM_CONTAINER} through slirp4netns, or as the gateway of the
 * bridge network given with {@code --network}). Each container
 * gets its own base path {@code /v4/TOKEN}; under it:
 * <ul>
 *   <li>{@code /v4/TOKEN}: the container's metadata;</li>
 *   <li>{@code /v4/TOKEN/task}: the task's, with every container;</li>
 *   <li>{@code /stats}, {@code /task/stats}: not served locally (404 with a JSON message).</li>
 * </ul>
 */
final class MetadataServer implements AutoCloseable {
    /** Builds the JSON for a token; null when the token is unknown. */
    interface Source {
        ObjectNode container(String token);

        ObjectNode task();
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final String host;

    /**
     * @param network the bridge network the task joins: the endpoint then listens on every address and answers only
     *                the loopback and that network's subnet; null: on 127.0.0.1 (slirp4netns reaches it there)
     */
    MetadataServer(Source source, LocalNetwork network) {
        this.host = network != null ? network.gateway() : PodmanPlan.HOST_FROM_CONTAINER;
        try {
            server = HttpServer.create(new InetSocketAddress(network != null ? null : InetAddress.getLoopbackAddress(),
                    0), 16);
        } catch (IOException e) {
            throw new LocalException("cannot start the task metadata endpoint: " + e.getMessage(), e);
        }
        server.createContext("/", ex -> {
            InetAddress from = ex.getRemoteAddress().getAddress();
            if (!from.isLoopbackAddress() && (network == null || !network.contains(from))) {
                ex.sendResponseHeaders(403, -1);
                ex.close();
                return;
            }
            handle(ex, path -> route(source, path));
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The URI containers use for {@code token}. */
    String containerUri(String token) {
        return "http://" + host + ":" + port() + "/v4/" + token;
    }

    private static Object route(Source source, String path) {
        String[] parts = path.replaceAll("/+$", "").split("/");
        // "", "v4", token, [task], [stats]
        if (parts.length < 3 || !(parts[1].equals("v4") || parts[1].equals("v3"))) {
            return null;
        }
        ObjectNode container = source.container(parts[2]);
        if (container == null) {
            return null;
        }
        String rest = String.join("/", java.util.Arrays.copyOfRange(parts, 3, parts.length));
        return switch (rest) {
            case "" -> container;
            case "task" -> source.task();
            case "stats", "task/stats" -> Integer.valueOf(404);
            default -> null;
        };
    }

    private static void handle(HttpExchange ex, Function<String, Object> route) throws IOException {
        try (ex) {
            Object body = ex.getRequestMethod().equals("GET") ? route.apply(ex.getRequestURI().getPath()) : null;
            int status = 200;
            String text;
            if (body instanceof ObjectNode node) {
                text = JSON.writeValueAsString(node);
            } else {
                status = 404;
                text = body == null ? "{\"message\":\"not found\"}"
                        : "{\"message\":\"stats are not served by ward local\"}";
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
