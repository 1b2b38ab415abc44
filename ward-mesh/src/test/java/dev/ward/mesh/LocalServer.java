package dev.ward.mesh;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The applications behind a task's inbound port in tests: each on 127.0.0.1 and an ephemeral port. */
final class LocalServer implements AutoCloseable {

    interface Handler {
        void handle(Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final HttpServer http;

    private LocalServer(ServerSocket server, HttpServer http) {
        this.server = server;
        this.http = http;
    }

    /** An HTTP/1.1 server answering every request with "hello from NAME path=PATH host=HOST". */
    static LocalServer http(String name) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        http.createContext("/", exchange -> {
            byte[] body = ("hello from " + name + " path=" + exchange.getRequestURI() + " host="
                    + exchange.getRequestHeaders().getFirst("Host") + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        return new LocalServer(null, http);
    }

    /** A raw server: one virtual thread per connection runs {@code handler}, then closes the socket. */
    static LocalServer tcp(Handler handler) throws IOException {
        ServerSocket server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            handler.handle(s);
                        } catch (IOException ignored) {
                            // the client went away: nothing to serve
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return new LocalServer(server, null);
    }

    /** Echoes every byte until the client half-closes, then closes. */
    static LocalServer echo() throws IOException {
        return tcp(s -> {
            s.getInputStream().transferTo(s.getOutputStream());
        });
    }

    /** Reads until EOF, then answers "BYTES SHA256HEX\n": the answer after a half-close. */
    static LocalServer digest() throws IOException {
        return tcp(s -> {
            MessageDigest sha = sha256();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                total += n;
            }
            OutputStream out = s.getOutputStream();
            out.write((total + " " + HexFormat.of().formatHex(sha.digest()) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        });
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return server != null ? server.getLocalPort() : http.getAddress().getPort();
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
        }
        if (http != null) {
            http.stop(0);
        }
    }
}
