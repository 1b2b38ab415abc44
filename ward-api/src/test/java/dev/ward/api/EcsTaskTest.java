package dev.ward.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ward.api.telemetry.Workload;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The task metadata endpoint v4, served over HTTP with documents shaped like AWS's Fargate examples. */
class EcsTaskTest {
    static String resource(String name) throws IOException {
        try (InputStream in = EcsTaskTest.class.getResourceAsStream("/ecs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheContainerAndTaskDocumentsFromTheEndpoint() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String container = resource("container.json");
        String task = resource("task.json");
        server.createContext("/v4/abc", exchange -> {
            byte[] body = (exchange.getRequestURI().getPath().endsWith("/task") ? task : container)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            EcsTask t = EcsTask.fetch(Map.of(EcsTask.ENDPOINT_VARIABLE,
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/v4/abc"));
            assertThat(t).isEqualTo(new EcsTask("prod",
                    "arn:aws:ecs:eu-west-1:111122223333:task/prod/ea32192c8553427ea7fdd7a2b4b6d1f2", "shop-web", "17",
                    "eu-west-1b", "ea32192c8553427ea7fdd7a2b4b6d1f2-3179573816", "web",
                    "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/web:1.4",
                    "sha256:8e2ea4c0ee8bd6cc2d1a5fdb8b6bcbf4c4bd0c5d29cc9d9a6d1a43e0d7c1fb2f", "shop",
                    List.of("10.0.12.34")));
            assertThat(t.imageWithDigest()).isEqualTo("111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/web:1.4"
                    + "@sha256:8e2ea4c0ee8bd6cc2d1a5fdb8b6bcbf4c4bd0c5d29cc9d9a6d1a43e0d7c1fb2f");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void noEndpointOrNoAnswerIsNoTask() {
        assertThat(EcsTask.fetch(Map.of())).isNull();
        assertThat(EcsTask.fetch(Map.of(EcsTask.ENDPOINT_VARIABLE, "http://127.0.0.1:1/v4/x"))).isNull();
    }

    @Test
    void theWorkloadOfATaskCarriesItsIdentityInKubeArmorsFields() throws Exception {
        EcsTask t = EcsTask.parse(resource("container.json"), resource("task.json"));
        Identity id = new Identity("ip-10-0-12-34.eu-west-1.compute.internal", "web",
                Map.of(Identity.CONTAINER_NAME_LABEL, "web", "team", "shop"));
        Workload w = id.workload(t);
        assertThat(w.namespaceName).isEqualTo("prod");
        assertThat(w.podName).isEmpty();
        assertThat(w.containerId).isEqualTo("ea32192c8553427ea7fdd7a2b4b6d1f2-3179573816");
        assertThat(w.containerName).isEqualTo("web");
        assertThat(w.hostName).isEqualTo("ip-10-0-12-34.eu-west-1.compute.internal");
        assertThat(w.labels).isEqualTo("ecs.availability-zone=eu-west-1b,ecs.cluster=prod,"
                + "ecs.task-arn=arn:aws:ecs:eu-west-1:111122223333:task/prod/ea32192c8553427ea7fdd7a2b4b6d1f2,"
                + "ecs.task-family=shop-web,ecs.task-revision=17,kubearmor.io/container.name=web,team=shop");
        assertThat(id.workload(null).labels).isEqualTo("kubearmor.io/container.name=web,team=shop");
    }

    @Test
    void anImageGivenByDigestKeepsItsOwn() {
        EcsTask t = new EcsTask("c", "", "", "", "", "", "", "nginx@sha256:11", "sha256:22", "", List.of());
        assertThat(t.imageWithDigest()).isEqualTo("nginx@sha256:11");
        assertThat(new EcsTask("c", "", "", "", "", "", "", "nginx:1", "", "", List.of())
                .imageWithDigest()).isEqualTo("nginx:1");
    }

    @Test
    void aDocumentThatIsNotAnObjectIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EcsTask.parse("[1]", "{}"))
                .hasMessageContaining("expected a JSON object");
    }
}
