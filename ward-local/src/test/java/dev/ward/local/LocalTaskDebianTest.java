package dev.ward.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.local.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * nginx from the Debian test image, with an exec health check, a read-only root file system (nginx writes
 * only to task volumes) and a socat client in a second container of the same network namespace.
 */
@Timeout(600) // the first build of the Debian image (debootstrap) takes about a minute
@Tag("container")
class LocalTaskDebianTest {
    @Test
    void nginxIsHealthyReachableFromTheHostAndFromItsNeighbour() throws Exception {
        String debian = TestImages.debian();
        ObjectNode nginx = Tasks.container("nginx", debian, "nginx", "-g", "daemon off;");
        nginx.putArray("portMappings").addObject().put("containerPort", 80);
        nginx.put("readonlyRootFilesystem", true);
        var mounts = nginx.putArray("mountPoints");
        mounts.addObject().put("sourceVolume", "run").put("containerPath", "/run");
        mounts.addObject().put("sourceVolume", "lib").put("containerPath", "/var/lib/nginx");
        mounts.addObject().put("sourceVolume", "log").put("containerPath", "/var/log/nginx");
        nginx.putObject("healthCheck").put("interval", 5).putArray("command")
                .add("CMD").add("bash").add("-c").add("exec 3<>/dev/tcp/127.0.0.1/80");
        ObjectNode client = Tasks.container("client", debian, "bash", "-c",
                "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | socat - TCP:127.0.0.1:80 | head -1; exec sleep 1000");
        client.put("essential", false);
        Tasks.dependsOn(client, "nginx", "HEALTHY");
        ObjectNode task = Tasks.task("nginx", nginx, client);
        var volumes = task.putArray("volumes");
        for (String v : new String[] {"run", "lib", "log"}) {
            volumes.addObject().put("name", v);
        }
        Tasks.Collected logs = new Tasks.Collected();
        try (LocalTask t = LocalTask.start(Tasks.parse(task),
                LocalOptions.builder().logs(logs).randomHostPorts(true).maxStopTimeout(Duration.ofSeconds(2)).build())) {
            t.awaitHealthy("nginx", Duration.ofSeconds(60));
            t.awaitRunning("client", Duration.ofSeconds(30));
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.hostPort(80) + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("Welcome to nginx");
            assertThat(t.exec("nginx", "touch", "/etc/x").err()).contains("Read-only file system");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!logs.text().contains("client | HTTP/1.1 200 OK") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(logs.text()).contains("client | HTTP/1.1 200 OK");
        }
    }
}
