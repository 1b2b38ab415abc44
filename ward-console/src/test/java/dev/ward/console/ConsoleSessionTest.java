package dev.ward.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logins, cookies, CSRF, Origin and roles over real HTTP against a real relay. */
@Tag("process")
class ConsoleSessionTest {
    @TempDir
    static Path dir;
    static ConsoleRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = ConsoleRelay.sqlite(dir);
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void theRightTokenLogsInWithAnHttpOnlyStrictCookie() throws Exception {
        ConsoleRelay.Browser b = relay.browser();
        HttpResponse<String> r = b.login(ConsoleRelay.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Http.JSON.readTree(r.body()).get("role").asText()).isEqualTo("admin");
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).matches("ward_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict");
        HttpResponse<String> s = b.get("/api/session");
        assertThat(s.statusCode()).isEqualTo(200);
        assertThat(Http.JSON.readTree(s.body()).get("csrf").asText()).isEqualTo(b.csrf);
        assertThat(b.login(ConsoleRelay.READ_TOKEN).body()).contains("\"role\":\"read\"");
    }

    @Test
    void aWrongTokenIs401AndSetsNoCookie() throws Exception {
        ConsoleRelay.Browser b = relay.browser();
        HttpResponse<String> r = b.login("admin-secreT");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(r.body()).contains("\"error\"");
        assertThat(b.get("/api/session").statusCode()).isEqualTo(401);
    }

    @Test
    void withoutASessionTheApiIs401() throws Exception {
        ConsoleRelay.Browser b = relay.browser();
        assertThat(b.get("/api/session").statusCode()).isEqualTo(401);
        assertThat(b.get("/api/alerts").statusCode()).isEqualTo(401);
        assertThat(b.get("/api/fleet").statusCode()).isEqualTo(401);
    }

    @Test
    void changesNeedTheCsrfTokenAndTheOwnOrigin() throws Exception {
        ConsoleRelay.Browser b = relay.browser();
        b.login(ConsoleRelay.ADMIN_TOKEN);
        String csrf = b.csrf;
        b.csrf = null;
        assertThat(b.send("POST", "/api/logout", null).statusCode()).isEqualTo(403);
        b.csrf = "x" + csrf.substring(1);
        assertThat(b.send("POST", "/api/logout", null).statusCode()).isEqualTo(403);
        b.csrf = csrf;
        HttpResponse<String> foreign = b.http.send(b.request("/api/logout").header("X-CSRF-Token", csrf)
                .header("Origin", "http://evil.example").POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("Origin");
        HttpResponse<String> own = b.http.send(b.request("/api/logout").header("X-CSRF-Token", csrf)
                .header("Origin", relay.base.toString()).POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(own.statusCode()).isEqualTo(204);
        assertThat(b.get("/api/session").statusCode()).isEqualTo(401);
    }

    @Test
    void theAssetsCarryTheSecurityHeaders() throws Exception {
        HttpResponse<String> r = relay.browser().get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(Http.CSP);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(relay.browser().get("/assets/../../ConsoleServer.class").statusCode()).isEqualTo(404);
        assertThat(relay.browser().get("/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void bodiesAreCappedAndBadJsonSaysWhere() throws Exception {
        ConsoleRelay.Browser b = relay.browser();
        assertThat(b.send("POST", "/api/login", "x".repeat(Http.MAX_BODY + 10)).statusCode()).isEqualTo(413);
        HttpResponse<String> r = b.send("POST", "/api/login", "{\n \"token\": }");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("line 2, column");
    }
}
