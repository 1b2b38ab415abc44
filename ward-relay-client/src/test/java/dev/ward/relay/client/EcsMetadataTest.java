package dev.ward.relay.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The task metadata the mesh selects policies by: read from a real HTTP endpoint, tried again when it fails. */
class EcsMetadataTest {
    static final String TASK = """
            {"Cluster": "arn:aws:ecs:us-west-1:111122223333:cluster/ecs-demo",
             "TaskARN": "arn:aws:ecs:us-west-1:111122223333:task/ecs-demo/0123456789abcdef",
             "Family": "echo-service-definition", "ServiceName": "echo-service",
             "Containers": [{"Networks": [{"IPv4Addresses": ["10.0.1.23"]}]}]}
            """;

    @Test
    void anEndpointThatFailsFirstIsAskedAgainAndAMissingOneIsSaid() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v4/abc/task", ex -> {
            byte[] body = TASK.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(calls.incrementAndGet() == 1 ? 503 : 200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/v4/abc";
            EcsMetadata m = EcsMetadata.fetchPatiently(Map.of("ECS_CONTAINER_METADATA_URI_V4", uri),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(calls.get()).isEqualTo(2);
            assertThat(m.serviceName()).isEqualTo("echo-service");
            assertThat(m.family()).isEqualTo("echo-service-definition");
            assertThat(m.cluster()).isEqualTo("ecs-demo");
            assertThat(m.addresses()).containsExactly("10.0.1.23");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();

            EcsMetadata none = EcsMetadata.fetchPatiently(Map.of("ECS_CONTAINER_METADATA_URI_V4", uri + "x"),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(none).isSameAs(EcsMetadata.NONE);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("targetRefs do not select it");
            assertThat(EcsMetadata.fetchPatiently(Map.of(), System.err)).isSameAs(EcsMetadata.NONE);
        } finally {
            server.stop(0);
        }
    }
}
