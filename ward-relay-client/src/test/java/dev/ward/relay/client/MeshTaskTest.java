package dev.ward.relay.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ward.api.EcsTask;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The task metadata the mesh selects policies by: read from a real HTTP endpoint, tried again when it fails. */
class MeshTaskTest {
    static final String TASK = """
            {"Cluster": "arn:aws:ecs:us-west-1:111122223333:cluster/ecs-demo",
             "TaskARN": "arn:aws:ecs:us-west-1:111122223333:task/ecs-demo/0123456789abcdef",
             "Family": "echo-service-definition", "ServiceName": "echo-service",
             "Containers": [{"Networks": [{"IPv4Addresses": ["10.0.1.23"]}]}]}
            """;
    static final String CONTAINER = """
            {"DockerId": "0123456789abcdef-1", "Name": "echo", "Image": "echo:1"}
            """;

    @Test
    void anEndpointThatFailsFirstIsAskedAgainAndAMissingOneIsSaid() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v4/abc", ex -> {
            boolean task = ex.getRequestURI().getPath().endsWith("/task");
            byte[] body = (task ? TASK : CONTAINER).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(task && calls.incrementAndGet() == 1 ? 503 : 200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/v4/abc";
            EcsTask m = RelayPlugin.meshTask(Map.of("ECS_CONTAINER_METADATA_URI_V4", uri),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(calls.get()).isEqualTo(2);
            assertThat(m.serviceName()).isEqualTo("echo-service");
            assertThat(m.family()).isEqualTo("echo-service-definition");
            assertThat(m.cluster()).isEqualTo("ecs-demo");
            assertThat(m.addresses()).containsExactly("10.0.1.23");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();

            EcsTask none = RelayPlugin.meshTask(Map.of("ECS_CONTAINER_METADATA_URI_V4", uri.replace("/v4/abc", "/v4/none")),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(none).isSameAs(EcsTask.NONE);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("targetRefs do not select it");
            assertThat(RelayPlugin.meshTask(Map.of(), System.err)).isSameAs(EcsTask.NONE);
        } finally {
            server.stop(0);
        }
    }
}
