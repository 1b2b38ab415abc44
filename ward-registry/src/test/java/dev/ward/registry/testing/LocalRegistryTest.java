package dev.ward.registry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The fixture itself: the real registry stores what we push, and enforces token and Basic auth. */
@Tag("process")
class LocalRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void storesAPushedIndexAndItsManifests() throws Exception {
        try (LocalRegistry reg = LocalRegistry.start()) {
            LocalRegistry.Pushed idx = reg.pushIndex("multi/app", "1", LocalRegistry.Format.OCI, List.of(
                    TestImage.linux("amd64").withEntrypoint("/amd").withLayer(Map.of("a", "x".getBytes())),
                    TestImage.linux("arm64").withVariant("v8").withEntrypoint("/arm")));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(reg.uri().resolve("/v2/multi/app/manifests/1"))
                    .header("Accept", LocalRegistry.Format.OCI.indexType).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Docker-Content-Digest")).contains(idx.digest());
            assertThat(LocalRegistry.sha256(r.body())).isEqualTo(idx.digest());
            JsonNode index = JSON.readTree(r.body());
            assertThat(index.at("/manifests/1/platform/variant").asText()).isEqualTo("v8");
            String configDigest = idx.children().get(1).configDigest();
            HttpResponse<String> cfg = http.send(HttpRequest.newBuilder(
                    reg.uri().resolve("/v2/multi/app/blobs/" + configDigest)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(JSON.readTree(cfg.body()).at("/config/Entrypoint/0").asText()).isEqualTo("/arm");
        }
    }

    @Test
    void tokenAuthIsEnforcedByTheRegistry() throws Exception {
        try (LocalRegistry reg = LocalRegistry.builder().tokenAuth("alice", "pw").tls().start()) {
            reg.push("private/app", "v1", LocalRegistry.Format.DOCKER, TestImage.linux("amd64").withCmd("sh"));
            HttpClient http = HttpClient.newBuilder().sslContext(reg.certificate().trustingContext()).build();
            URI manifest = reg.uri().resolve("/v2/private/app/manifests/v1");
            HttpResponse<String> anon = http.send(HttpRequest.newBuilder(manifest).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anon.statusCode()).isEqualTo(401);
            assertThat(anon.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .startsWith("Bearer realm=\"" + reg.tokenServer().realm() + "\"")
                    .contains("scope=\"repository:private/app:pull\"");
            String token = reg.tokenServer().token("alice",
                    List.<String[]>of(new String[] {"repository", "private/app", "pull"}));
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(manifest)
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", LocalRegistry.Format.DOCKER.manifestType).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            String other = reg.tokenServer().token("alice",
                    List.<String[]>of(new String[] {"repository", "other/app", "pull"}));
            HttpResponse<String> wrongScope = http.send(HttpRequest.newBuilder(manifest)
                    .header("Authorization", "Bearer " + other).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrongScope.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void basicAuthIsEnforcedByTheRegistry() throws Exception {
        try (LocalRegistry reg = LocalRegistry.builder().basicAuth("bob", "pa:ss").start()) {
            reg.push("private/app", "v1", LocalRegistry.Format.OCI, TestImage.linux("amd64").withCmd("sh"));
            HttpClient http = HttpClient.newHttpClient();
            URI manifest = reg.uri().resolve("/v2/private/app/manifests/v1");
            HttpResponse<String> anon = http.send(HttpRequest.newBuilder(manifest).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anon.statusCode()).isEqualTo(401);
            assertThat(anon.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"" + LocalRegistry.BASIC_REALM + "\"");
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(manifest)
                    .header("Authorization", LocalRegistry.basic("bob", "pa:sS")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(401);
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(manifest)
                    .header("Authorization", LocalRegistry.basic("bob", "pa:ss"))
                    .header("Accept", LocalRegistry.Format.OCI.manifestType).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(ok.body()).path("mediaType").asText()).isEqualTo(LocalRegistry.Format.OCI.manifestType);
        }
    }

    @Test
    void bcryptHashesAreSaltedAndWellFormed() {
        String a = Htpasswd.bcrypt("s3cret");
        String b = Htpasswd.bcrypt("s3cret");
        assertThat(a).matches("\\$2b\\$05\\$[./A-Za-z0-9]{53}").isNotEqualTo(b);
    }
}
