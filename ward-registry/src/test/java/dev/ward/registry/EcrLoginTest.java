package dev.ward.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ecr:GetAuthorizationToken over the wire: the real AWS SDK (JSON 1.1 protocol, SigV4, the JDK
 * URLConnection HTTP client and no other) talks to a loopback HTTP server standing in for the ECR API.
 * AWS credentials come from the SDK's system properties, as they would from the environment.
 */
class EcrLoginTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Ecr.Host HOST = Ecr.parse("123456789012.dkr.ecr.eu-west-3.amazonaws.com").orElseThrow();

    record Call(String target, String authorization, String body) { }

    HttpServer server;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile String answer;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] req = ex.getRequestBody().readAllBytes();
            calls.add(new Call(ex.getRequestHeaders().getFirst("X-Amz-Target"),
                    ex.getRequestHeaders().getFirst("Authorization"), new String(req, StandardCharsets.UTF_8)));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        System.setProperty("aws.accessKeyId", "AKIDWARDTEST");
        System.setProperty("aws.secretAccessKey", "ward-test-secret-key");
    }

    @AfterEach
    void stop() {
        server.stop(0);
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void theTokenBecomesBasicCredentialsForUserAws() throws Exception {
        String token = Base64.getEncoder().encodeToString("AWS:ecr-password-xyz".getBytes(StandardCharsets.UTF_8));
        answer = JSON.writeValueAsString(Map.of("authorizationData", List.of(Map.of("authorizationToken", token,
                "expiresAt", 1.8e9, "proxyEndpoint", "https://123456789012.dkr.ecr.eu-west-3.amazonaws.com"))));
        assertThat(Ecr.credential(HOST, "app:1", endpoint()))
                .contains(new RegistryCredential("AWS", "ecr-password-xyz"));
        assertThat(calls).hasSize(1);
        Call c = calls.getFirst();
        assertThat(c.target()).isEqualTo("AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken");
        assertThat(c.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDWARDTEST/")
                .contains("/eu-west-3/ecr/aws4_request");
        assertThat(JSON.readTree(c.body()).path("registryIds").isMissingNode()).isTrue();
    }

    @Test
    void anAwsErrorNamesTheAccountRegionAndCall() {
        status = 400;
        answer = "{\"__type\":\"AccessDeniedException\",\"message\":\"User is not authorized to perform ecr:GetAuthorizationToken\"}";
        assertThatThrownBy(() -> Ecr.credential(HOST, "123456789012.dkr.ecr.eu-west-3.amazonaws.com/app:1", endpoint()))
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith("123456789012.dkr.ecr.eu-west-3.amazonaws.com/app:1: could not get an ECR login"
                        + " token for account 123456789012 in eu-west-3 (ecr:GetAuthorizationToken): ")
                .hasMessageContaining("User is not authorized to perform ecr:GetAuthorizationToken");
    }

    @Test
    void aResponseWithoutATokenIsAnError() {
        answer = "{\"authorizationData\":[]}";
        assertThatThrownBy(() -> Ecr.credential(HOST, "app:1", endpoint()))
                .hasMessageContaining("GetAuthorizationToken returned no token");
    }
}
