package dev.ward.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ward.relay.ConsoleHost;
import dev.ward.relay.RelayConsole;
import dev.ward.relay.store.Alerts;
import dev.ward.relay.store.StoreException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * The relay's web console over the JDK's HTTP server: the assets at {@code /}, the API under {@code /api}
 * ({@link Api}). Each request runs on its own virtual thread; live streams are bounded by {@link AlertStream}.
 */
public final class ConsoleServer implements RelayConsole {
    @Override
    public Running start(ConsoleHost relay, InetSocketAddress address, SSLContext tls, PrintStream log)
            throws IOException {
        if (!relay.hasLogin()) {
            throw new IllegalArgumentException("the console needs the relay's read or admin token to log in with "
                    + "(WARD_RELAY_READ_TOKEN or WARD_RELAY_ADMIN_TOKEN): a console with no login would show the "
                    + "fleet to anyone");
        }
        HttpServer server;
        if (tls != null) {
            HttpsServer https = HttpsServer.create(address, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        } else {
            server = HttpServer.create(address, 64);
        }
        Alerts alerts;
        try {
            alerts = relay.store().alerts();
        } catch (StoreException e) {
            server.stop(0);
            throw new IOException("the console cannot read the store: " + e.getMessage(), e);
        }
        Sessions sessions = new Sessions(System::currentTimeMillis);
        Api api = new Api(relay, sessions, tls != null, new AlertsApi(relay, alerts, new AlertStream(relay,
                AlertStream.KEEPALIVE_MILLIS)), new FleetApi(relay), new PoliciesApi(relay), new PostureApi());
        ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("ward-console-", 0).factory());
        server.setExecutor(executor);
        server.createContext("/", ex -> handle(ex, api, log));
        server.start();
        return new Running() {
            @Override
            public int port() {
                return server.getAddress().getPort();
            }

            @Override
            public void close() {
                server.stop(0);
                executor.shutdownNow();
                alerts.close();
            }
        };
    }

    private static void handle(HttpExchange ex, Api api, PrintStream log) {
        try (ex) {
            Http.secure(ex);
            String path = ex.getRequestURI().getRawPath();
            try {
                if (path.equals("/api") || path.startsWith("/api/")) {
                    api.handle(ex, path);
                } else {
                    Assets.serve(ex, path);
                }
            } catch (ApiError e) {
                Http.error(ex, e.status(), e.getMessage());
            } catch (RuntimeException e) {
                log.println("ward relay: console: " + ex.getRequestMethod() + " " + path + ": " + e);
                Http.error(ex, 500, "internal error: " + e.getMessage());
            }
        } catch (IOException e) {
            // the browser went away
        }
    }
}
