package dev.ward.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.ward.relay.ConsoleHost;
import dev.ward.relay.ConsoleHost.Role;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The console's {@code /api}: login and sessions here, the rest routed to the areas' handlers. Every request after
 * login needs the session cookie; every one that is not a GET also the session's {@code X-CSRF-Token}, and an
 * {@code Origin} (when the browser sends one) that is this server's own.
 */
final class Api {
    /** One area of the API: answers a request of a logged-in session, or false when it has no such route. */
    interface Area {
        boolean handle(HttpExchange ex, String method, String path, Sessions.Session session) throws IOException;
    }

    private final ConsoleHost relay;
    private final Sessions sessions;
    private final boolean tls;
    private final Area[] areas;

    Api(ConsoleHost relay, Sessions sessions, boolean tls, Area... areas) {
        this.relay = relay;
        this.sessions = sessions;
        this.tls = tls;
        this.areas = areas;
    }

    void handle(HttpExchange ex, String path) throws IOException {
        String method = ex.getRequestMethod();
        boolean change = !method.equals("GET") && !method.equals("HEAD");
        if (change) {
            checkOrigin(ex);
        }
        if (path.equals("/api/login")) {
            require(method, "POST", path);
            login(ex);
            return;
        }
        Sessions.Session s = sessions.find(ex.getRequestHeaders().getFirst("Cookie"));
        if (s == null) {
            throw new ApiError(401, "log in first (POST /api/login with the relay's read or admin token)");
        }
        if (change && !equal(s.csrf, ex.getRequestHeaders().getFirst("X-CSRF-Token"))) {
            throw new ApiError(403, "missing or wrong X-CSRF-Token (GET /api/session gives it)");
        }
        switch (path) {
            case "/api/session" -> {
                require(method, "GET", path);
                Http.json(ex, 200, sessionBody(s));
                return;
            }
            case "/api/logout" -> {
                require(method, "POST", path);
                sessions.drop(s);
                ex.getResponseHeaders().add("Set-Cookie", cookie("", 0));
                Http.noContent(ex);
                return;
            }
            default -> {
                for (Area a : areas) {
                    if (a.handle(ex, method, path, s)) {
                        return;
                    }
                }
            }
        }
        throw new ApiError(404, "no such API: " + method + " " + path);
    }

    /** 403 unless the session may change things. */
    static void requireAdmin(Sessions.Session s) {
        if (s.role != Role.admin) {
            throw new ApiError(403, "this needs the admin role: log in with the relay's admin token");
        }
    }

    static void require(String method, String wanted, String path) {
        if (!method.equals(wanted)) {
            throw new ApiError(405, method + " " + path + ": expected " + wanted);
        }
    }

    private void login(HttpExchange ex) throws IOException {
        JsonNode body = Http.body(ex);
        String token = Http.text(body, "token");
        String address = ex.getRemoteAddress().getAddress().getHostAddress();
        long delay = sessions.delayMillis(address);
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiError(503, "the console is stopping");
            }
        }
        Role role = relay.role(token);
        if (role == null) {
            sessions.failed(address);
            throw new ApiError(401, "wrong token: log in with the relay's read or admin token");
        }
        sessions.succeeded(address);
        Sessions.Session s = sessions.create(role);
        ex.getResponseHeaders().add("Set-Cookie", cookie(s.id, -1));
        Http.json(ex, 200, sessionBody(s));
    }

    private String cookie(String value, int maxAge) {
        return Sessions.COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "")
                + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
    }

    private static ObjectNode sessionBody(Sessions.Session s) {
        return Http.JSON.createObjectNode().put("role", s.role.name()).put("csrf", s.csrf);
    }

    /** A browser's Origin must name this server (scheme, host and port as the Host header has them). */
    private void checkOrigin(HttpExchange ex) {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin == null) {
            return;
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        URI o;
        try {
            o = URI.create(origin.strip());
        } catch (IllegalArgumentException e) {
            throw new ApiError(403, "Origin " + origin + " is not this console's");
        }
        boolean same = host != null && o.getRawAuthority() != null && o.getRawAuthority().equalsIgnoreCase(host.strip())
                && (tls ? "https" : "http").equalsIgnoreCase(o.getScheme()) && (o.getRawPath() == null
                        || o.getRawPath().isEmpty());
        if (!same) {
            throw new ApiError(403, "Origin " + origin + " is not this console's");
        }
    }

    private static boolean equal(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
