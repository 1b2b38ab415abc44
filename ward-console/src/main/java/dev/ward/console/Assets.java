package dev.ward.console;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The browser assets inside the jar ({@code dev/ward/console/assets/}): {@code /} is index.html, {@code
 * /assets/PATH} the file at PATH. Nothing else is served: no directory listings, no path outside the assets.
 */
final class Assets {
    private static final String ROOT = "/dev/ward/console/assets/";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"),
            Map.entry("json", "application/json; charset=utf-8"), Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("map", "application/json; charset=utf-8"));

    private Assets() {
    }

    static void serve(HttpExchange ex, String path) throws IOException {
        if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
            throw new ApiError(405, ex.getRequestMethod() + " " + path + ": only GET");
        }
        String file = path.equals("/") || path.equals("/index.html") ? "index.html"
                : path.startsWith("/assets/") ? path.substring("/assets/".length()) : null;
        if (file == null || file.isEmpty() || file.contains("..") || file.contains("//") || file.contains("\\")
                || file.startsWith("/") || !file.matches("[A-Za-z0-9._/-]+")) {
            throw new ApiError(404, "no such page: " + path);
        }
        String ext = file.substring(file.lastIndexOf('.') + 1);
        String type = TYPES.get(ext);
        byte[] body;
        try (InputStream in = Assets.class.getResourceAsStream(ROOT + file)) {
            if (in == null || type == null) {
                throw new ApiError(404, "no such page: " + path);
            }
            body = in.readAllBytes();
        }
        Http.send(ex, 200, type, body);
    }
}
