package dev.ward.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ward.registry.ContainersStorage;
import dev.ward.registry.cli.RegistryOptions;
import dev.ward.tls.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ward webhook}: a mutating admission webhook that protects pods as they are created, the way {@code ward
 * inject} protects a manifest (EKS Fargate without editing every Deployment). Serves {@code POST /mutate} and
 * {@code GET /healthz} over HTTPS until stopped.
 */
@Command(name = "webhook", mixinStandardHelpOptions = true, subcommands = WebhookManifestsCommand.class,
        description = {"Mutating admission webhook (admission.k8s.io/v1): pods created in namespaces labelled "
                + "ward.dev/inject=enabled, or labelled so themselves, start under the Ward agent exactly as 'ward "
                + "inject' would write them. A pod annotated ward.dev/inject: \"false\" is left alone; one that cannot "
                + "be protected is admitted unprotected with a warning (--fail-closed: refused).",
            "'ward webhook manifests' prints what installs it."})
public final class WebhookCommand implements Callable<Integer> {
    static final int MAX_BODY = 3 * 1024 * 1024;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "serving certificate (chain; required)")
    java.nio.file.Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "its private key (required)")
    java.nio.file.Path tlsKey;

    @Option(names = "--listen", paramLabel = "ADDRESS", defaultValue = "0.0.0.0", description = "default: 0.0.0.0")
    String listen;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8443", description = "default: 8443")
    int port;

    @Mixin
    WebhookSettings settings;

    @Mixin
    RegistryOptions registry;

    @Override
    public Integer call() throws Exception {
        String problem = tlsCert == null || tlsKey == null ? "--tls-cert and --tls-key are required"
                : settings.problem();
        if (problem != null) {
            System.err.println("ward webhook: " + problem);
            return 2;
        }
        List<String> notes = new ArrayList<>();
        AdmissionReviewer reviewer = new AdmissionReviewer(settings.options(),
                new ImageSources(registry::client, new ContainersStorage(), null, notes),
                Set.copyOf(settings.fargateProfiles), settings.failClosed);
        HttpsServer server;
        try {
            server = serve(new InetSocketAddress(listen, port), ServerTls.context(tlsCert, tlsKey), reviewer);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("ward webhook: " + e.getMessage());
            return 2;
        }
        System.err.println("ward webhook: listening on https://" + listen + ":" + server.getAddress().getPort()
                + "/mutate");
        new CountDownLatch(1).await();
        return 0;
    }

    /** The webhook's HTTPS server on {@code address}, started. */
    static HttpsServer serve(InetSocketAddress address, SSLContext tls, AdmissionReviewer reviewer) throws IOException {
        HttpsServer server = HttpsServer.create(address, 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/mutate", ex -> mutate(ex, reviewer));
        server.createContext("/healthz", ex -> respond(ex, 200, "text/plain", "ok\n".getBytes(StandardCharsets.UTF_8)));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    private static void mutate(HttpExchange ex, AdmissionReviewer reviewer) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("POST")) {
                respond(ex, 405, "text/plain", "POST an AdmissionReview\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                respond(ex, 413, "text/plain", "request over 3 MiB\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            com.fasterxml.jackson.databind.JsonNode review;
            try {
                review = AdmissionReviewer.read(body);
            } catch (IOException e) {
                respond(ex, 400, "text/plain", ("not JSON: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!review.path("request").isObject() || !review.path("request").path("uid").isTextual()) {
                respond(ex, 400, "text/plain", "expected an AdmissionReview with request.uid\n"
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            respond(ex, 200, "application/json",
                    AdmissionReviewer.text(reviewer.review(review)).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void respond(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
