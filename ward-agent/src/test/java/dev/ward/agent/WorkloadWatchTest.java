package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.ward.api.EcsTask;
import dev.ward.api.Identity;
import dev.ward.api.telemetry.Workload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The identity events carry: read from the task metadata endpoint at start, replaced when it changes. */
class WorkloadWatchTest {
    private static final Identity WEB = new Identity("ip-10-0-1-2", "web", Map.of(Identity.CONTAINER_NAME_LABEL, "web"));

    @Test
    void withoutAnEndpointTheIdentityIsFixed() {
        WorkloadWatch w = WorkloadWatch.start(WEB, Map.of(), System.err);
        w.awaitFirst();
        assertThat(w.current().labels).isEqualTo("kubearmor.io/container.name=web");
        assertThat(w.current()).isSameAs(w.current());
    }

    @Test
    void aChangedTaskReplacesTheIdentityAndAnUnchangedOneKeepsTheSameObject() throws Exception {
        AtomicReference<String> revision = new AtomicReference<>("3");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v4/t1", exchange -> {
            String body = exchange.getRequestURI().getPath().endsWith("/task")
                    ? "{\"Cluster\": \"prod\", \"TaskARN\": \"arn:aws:ecs:eu-west-1:1:task/prod/t1\", \"Family\": \"web\", "
                            + "\"Revision\": \"" + revision.get() + "\", \"AvailabilityZone\": \"eu-west-1a\"}"
                    : "{\"DockerId\": \"t1-1\", \"Name\": \"web\", \"Image\": \"web:" + revision.get() + "\", "
                            + "\"ImageID\": \"sha256:" + revision.get().repeat(64) + "\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            Map<String, String> env = Map.of(EcsTask.ENDPOINT_VARIABLE, "http://127.0.0.1:"
                    + server.getAddress().getPort() + "/v4/t1", WorkloadWatch.REFRESH_VARIABLE, "1");
            WorkloadWatch w = WorkloadWatch.start(WEB, env, System.err);
            w.awaitFirst();
            Workload first = w.current();
            assertThat(first.containerImage).isEqualTo("web:3@sha256:" + "3".repeat(64));
            assertThat(first.labels).contains("ecs.task-revision=3");
            Thread.sleep(1_500);
            assertThat(w.current()).as("nothing changed: the same identity").isSameAs(first);
            revision.set("4");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (w.current() == first && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(w.current().labels).contains("ecs.task-revision=4");
            assertThat(w.current().containerImage).startsWith("web:4@sha256:");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anEndpointThatDoesNotAnswerIsSaidOnceAndLeavesTheIdentityWithoutTheTask() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        WorkloadWatch w = WorkloadWatch.start(WEB, Map.of(EcsTask.ENDPOINT_VARIABLE, "http://127.0.0.1:1/v4/x"),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        w.awaitFirst();
        assertThat(w.current().namespaceName).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the task metadata endpoint "
                + "(ECS_CONTAINER_METADATA_URI_V4=http://127.0.0.1:1/v4/x) did not answer");
    }

    @Test
    void aBadRefreshSettingIsRefusedByName() {
        assertThatThrownBy(() -> WorkloadWatch.start(WEB, Map.of(EcsTask.ENDPOINT_VARIABLE, "http://x/v4",
                WorkloadWatch.REFRESH_VARIABLE, "5m"), System.err))
                .hasMessage("WARD_METADATA_REFRESH=5m: expected a number of seconds (at least 1)");
    }
}
