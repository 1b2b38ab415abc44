package dev.ward.registry.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Docker token server (the {@code realm} of a {@code Bearer} challenge) on loopback: it checks Basic
 * credentials and issues RS256 JWTs with the signing certificate in {@code x5c}, which the distribution
 * registry verifies against its {@code rootcertbundle}. Anonymous requests get a token granting nothing,
 * as Docker Hub does for private repositories.
 */
public final class TokenServer implements AutoCloseable {
    public static final String SERVICE = "ward-test-registry";
    public static final String ISSUER = "ward-test-issuer";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final TestCertificate signer;
    private final String user;
    private final String password;
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    TokenServer(TestCertificate signer, String user, String password) throws IOException {
        this.signer = signer;
        this.user = user;
        this.password = password;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::handle);
        server.start();
    }

    /** The realm URL the registry advertises. */
    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** Tokens issued to callers with valid credentials. */
    public int issued() {
        return issued.get();
    }

    /** Requests with wrong credentials (answered 401). */
    public int refused() {
        return refused.get();
    }

    /** A token for {@code repository} with {@code actions} (e.g. pull, push), for the fixture's own pushes. */
    public String token(String subject, List<String[]> access) {
        ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
        try {
            header.putArray("x5c").add(Base64.getEncoder().encodeToString(signer.certificate().getEncoded()));
            long now = Instant.now().getEpochSecond();
            ObjectNode claims = JSON.createObjectNode().put("iss", ISSUER).put("sub", subject).put("aud", SERVICE)
                    .put("exp", now + 300).put("nbf", now - 10).put("iat", now)
                    .put("jti", UUID.randomUUID().toString());
            ArrayNode list = claims.putArray("access");
            for (String[] a : access) {
                ObjectNode entry = list.addObject().put("type", a[0]).put("name", a[1]);
                ArrayNode actions = entry.putArray("actions");
                for (String action : a[2].split(",")) {
                    actions.add(action);
                }
            }
            String signingInput = b64(JSON.writeValueAsBytes(header)) + "." + b64(JSON.writeValueAsBytes(claims));
            Signature sig = Signature.getInstance("SHA256withRSA");
            sig.initSign(signer.key());
            sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64(sig.sign());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("signing a test token: " + e, e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            boolean authenticated = false;
            if (auth != null) {
                String expected = "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
                if (!auth.equals(expected)) {
                    refused.incrementAndGet();
                    ex.sendResponseHeaders(401, -1);
                    return;
                }
                authenticated = true;
            }
            List<String[]> access = new ArrayList<>();
            String query = ex.getRequestURI().getRawQuery();
            if (authenticated && query != null) {
                for (String param : query.split("&")) {
                    int eq = param.indexOf('=');
                    if (eq > 0 && param.substring(0, eq).equals("scope")) {
                        String scope = URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
                        int first = scope.indexOf(':');
                        int last = scope.lastIndexOf(':');
                        if (first > 0 && last > first) {
                            access.add(new String[] {scope.substring(0, first), scope.substring(first + 1, last),
                                scope.substring(last + 1)});
                        }
                    }
                }
                issued.incrementAndGet();
            }
            String token = token(authenticated ? user : "", access);
            // Docker Hub answers both fields; clients must accept either.
            byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("token", token)
                    .put("access_token", token).put("expires_in", 300));
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
