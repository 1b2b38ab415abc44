package dev.ward.mesh;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Raw HTTP/1.1 for L7 tests: responses read off a keep-alive socket, and an application that says what it got. */
final class HttpWire {

    private HttpWire() {
    }

    record Response(int status, Map<String, String> headers, String body) {
    }

    /**
     * An HTTP/1.1 application answering "METHOD TARGET BODYLENGTH" and recording the same: keep-alive and pipelining
     * (requests are read off the socket in order), Content-Length and chunked bodies.
     */
    static final class App implements AutoCloseable {
        final List<String> seen = new CopyOnWriteArrayList<>();
        private final LocalServer server;

        App() throws IOException {
            server = LocalServer.tcp(s -> {
                InputStream in = new BufferedInputStream(s.getInputStream());
                for (String request = line(in); request != null; request = line(in)) {
                    Map<String, String> headers = headers(in);
                    int length = headers.containsKey("transfer-encoding") ? chunked(in)
                            : in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))).length;
                    String[] parts = request.split(" ");
                    String said = parts[0] + " " + parts[1] + " " + length;
                    seen.add(said);
                    byte[] body = (said + "\n").getBytes(StandardCharsets.UTF_8);
                    s.getOutputStream().write(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n"));
                    s.getOutputStream().write(body);
                    s.getOutputStream().flush();
                }
            });
        }

        int port() {
            return server.port();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }

        private static int chunked(InputStream in) throws IOException {
            int total = 0;
            for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                total += in.readNBytes(size).length;
                line(in);
            }
            headers(in);
            return total;
        }
    }

    /** One response with a Content-Length body; null at end of stream before a status line. */
    static Response read(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) {
            return null;
        }
        Map<String, String> headers = headers(in);
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new Response(Integer.parseInt(status.split(" ")[1]), headers, body);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new TreeMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        return headers;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
