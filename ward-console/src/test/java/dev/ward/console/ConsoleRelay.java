package dev.ward.console;

import dev.ward.relay.RelayConsole;
import dev.ward.relay.RelayServer;
import dev.ward.relay.store.Store;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** A real relay (gRPC on an ephemeral port, a SQLite or PostgreSQL store) with its console on an ephemeral port. */
final class ConsoleRelay implements AutoCloseable {
    static final String AGENT_TOKEN = "agent-secret";
    static final String ADMIN_TOKEN = "admin-secret";
    static final String READ_TOKEN = "read-secret";

    final Store store;
    final RelayServer relay;
    final RelayConsole.Running console;
    final URI base;

    ConsoleRelay(String storeLocation, String storeUser) throws Exception {
        this.store = Store.open(storeLocation, storeUser, null);
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        this.relay = RelayServer.start(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
                new RelayServer.Settings(AGENT_TOKEN, ADMIN_TOKEN, READ_TOKEN, 8192, Duration.ZERO,
                        Duration.ofMillis(200)), store, quiet);
        this.console = new ConsoleServer().start(relay.console(), new InetSocketAddress("127.0.0.1", 0), null,
                System.err);
        this.base = URI.create("http://127.0.0.1:" + console.port());
    }

    static ConsoleRelay sqlite(Path dir) throws Exception {
        return new ConsoleRelay(dir.resolve("relay.db").toString(), null);
    }

    /** An agent connected to this relay over gRPC, as the real agent's relay plugin connects. */
    WireAgent agent(String container) {
        return new WireAgent(relay.port(), AGENT_TOKEN, container);
    }

    /** A browser-like client: keeps its cookies. */
    Browser browser() {
        return new Browser(this);
    }

    @Override
    public void close() {
        console.close();
        relay.close();
        store.close();
    }

    /** One logged-in (or not) client with its cookie jar and the CSRF token of its session. */
    static final class Browser {
        final HttpClient http;
        final ConsoleRelay relay;
        String csrf;

        Browser(ConsoleRelay relay) {
            this.relay = relay;
            this.http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                    .connectTimeout(Duration.ofSeconds(5)).build();
        }

        HttpResponse<String> login(String token) throws Exception {
            HttpResponse<String> r = send("POST", "/api/login", "{\"token\":\"" + token + "\"}");
            if (r.statusCode() == 200) {
                csrf = Http.JSON.readTree(r.body()).get("csrf").asText();
            }
            return r;
        }

        HttpResponse<String> get(String path) throws Exception {
            return send("GET", path, null);
        }

        HttpResponse<String> send(String method, String path, String json) throws Exception {
            HttpRequest.Builder b = request(path);
            if (csrf != null) {
                b.header("X-CSRF-Token", csrf);
            }
            return http.send(b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(relay.base.resolve(path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json");
        }
    }
}
