package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ward.api.EcsTask;
import dev.ward.api.PodInfo;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workload's identity in the alerts of a real {@code ward run}: on ECS from a task metadata endpoint v4 served
 * over HTTP (documents shaped like AWS's Fargate examples), in a pod from the downward API's environment and
 * labels file, compared field by field with seed 002's KubeArmor alert from EKS Fargate.
 */
@Tag("process")
class WorkloadIdentityTest {
    private static final String TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task/payments/5c1f0e2b9a7d4c3e8f6a1b2c3d4e5f60";
    private static final String TASK = """
            {"Cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/payments", "TaskARN": "%s",
             "Family": "checkout", "Revision": "%s", "DesiredStatus": "RUNNING", "KnownStatus": "RUNNING",
             "Limits": {"CPU": 0.5, "Memory": 1024}, "PullStartedAt": "2026-12-01T10:00:01.1Z",
             "PullStoppedAt": "2026-12-01T10:00:04.2Z", "AvailabilityZone": "us-east-1c", "LaunchType": "FARGATE",
             "Containers": [{"DockerId": "5c1f0e2b9a7d4c3e8f6a1b2c3d4e5f60-2531612879", "Name": "checkout"}],
             "ClockDrift": {"ClockErrorBound": 0.5, "ReferenceTimestamp": "2026-12-01T10:01:00Z",
              "ClockSynchronizationStatus": "SYNCHRONIZED"}}
            """;
    private static final String CONTAINER = """
            {"DockerId": "5c1f0e2b9a7d4c3e8f6a1b2c3d4e5f60-2531612879", "Name": "checkout", "DockerName": "checkout",
             "Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/checkout:%s",
             "ImageID": "sha256:%s",
             "Labels": {"com.amazonaws.ecs.cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/payments",
              "com.amazonaws.ecs.container-name": "checkout", "com.amazonaws.ecs.task-arn": "%s",
              "com.amazonaws.ecs.task-definition-family": "checkout", "com.amazonaws.ecs.task-definition-version": "%s"},
             "DesiredStatus": "RUNNING", "KnownStatus": "RUNNING", "Limits": {"CPU": 2},
             "CreatedAt": "2026-12-01T10:00:05.3Z", "StartedAt": "2026-12-01T10:00:05.9Z", "Type": "NORMAL",
             "Networks": [{"NetworkMode": "awsvpc", "IPv4Addresses": ["10.0.3.17"]}],
             "ContainerARN": "arn:aws:ecs:us-east-1:123456789012:container/payments/5c1f0e2b/1f2e3d4c",
             "LogDriver": "awslogs"}
            """;
    private static final String DIGEST_1 = "1".repeat(64);
    private static final String DIGEST_2 = "2".repeat(64);

    @TempDir
    Path dir;

    private Path policy(String yaml) throws Exception {
        return Files.writeString(dir.resolve("policy.yaml"), yaml);
    }

    private static String blockRead(String namespace, String selector, String path) {
        return """
                apiVersion: security.kubearmor.com/v1
                kind: KubeArmorPolicy
                metadata:
                  name: block-%s
                  namespace: %s
                spec:
                  selector:
                    matchLabels: {%s}
                  severity: 7
                  tags: ["NIST"]
                  message: "token read"
                  file:
                    matchPaths:
                    - path: %s
                  action: Block
                """.formatted(namespace, namespace, selector, path);
    }

    @Test
    void anEcsAlertCarriesTheTaskIdentityAndFollowsAChangeOfTheMetadata() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "s\n");
        AtomicReference<String> revision = new AtomicReference<>("7");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v4/5c1f0e2b", exchange -> {
            String r = revision.get();
            String digest = r.equals("7") ? DIGEST_1 : DIGEST_2;
            String body = exchange.getRequestURI().getPath().endsWith("/task") ? TASK.formatted(TASK_ARN, r)
                    : CONTAINER.formatted("v" + r, digest, TASK_ARN, r);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            Path p = policy(blockRead("", "kubearmor.io/container.name: checkout", secret.toString())
                    .replace("  namespace: \n", ""));
            Path marker = dir.resolve("first-read-done");
            Thread changer = Thread.ofPlatform().start(() -> {
                try {
                    while (!Files.exists(marker)) {
                        Thread.sleep(20);
                    }
                    revision.set("8"); // a new deployment of the task definition: the next read sees it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            var r = AgentProcess.run("--container-name", "checkout", "--policy", p.toString(), "--", "sh", "-c",
                            "cat " + secret + "; touch " + marker + "; sleep 3; cat " + secret)
                    .env(EcsTask.ENDPOINT_VARIABLE, "http://127.0.0.1:" + server.getAddress().getPort() + "/v4/5c1f0e2b")
                    .env(WorkloadWatch.REFRESH_VARIABLE, "1").await(dir);
            changer.join(5_000);
            assertThat(r.alerts()).as(r.stderr()).hasSize(2);
            JsonNode first = r.alerts().get(0);
            assertThat(first.get("NamespaceName").asText()).isEqualTo("payments");
            assertThat(first.get("ContainerID").asText()).isEqualTo("5c1f0e2b9a7d4c3e8f6a1b2c3d4e5f60-2531612879");
            assertThat(first.get("ContainerName").asText()).isEqualTo("checkout");
            assertThat(first.get("ContainerImage").asText())
                    .isEqualTo("123456789012.dkr.ecr.us-east-1.amazonaws.com/checkout:v7@sha256:" + DIGEST_1);
            assertThat(first.get("HostName").asText()).isEqualTo(Files.readString(
                    Path.of("/proc/sys/kernel/hostname")).strip());
            assertThat(first.get("Labels").asText()).isEqualTo("ecs.availability-zone=us-east-1c,ecs.cluster=payments,"
                    + "ecs.task-arn=" + TASK_ARN + ",ecs.task-family=checkout,ecs.task-revision=7,"
                    + "kubearmor.io/container.name=checkout");
            assertThat(first.has("PodName")).as("no pod on ECS").isFalse();
            JsonNode second = r.alerts().get(1);
            assertThat(second.get("Labels").asText()).contains("ecs.task-revision=8");
            assertThat(second.get("ContainerImage").asText()).endsWith("checkout:v8@sha256:" + DIGEST_2);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aPodAlertHasSeed002sFieldsAndShapesAndPodLabelsAndNamespaceSelectPolicies() throws Exception {
        Path secret = Files.writeString(dir.resolve("token"), "t\n");
        Path labels = Files.writeString(dir.resolve("labels"), """
                app="checkout"
                eks.amazonaws.com/fargate-profile="fp-payments"
                pod-template-hash="6d8f9c7b5"
                """);
        String containerId = "4f9a2c1e7b3d5f6a8c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d1f3a5c7e9b0d2f4a";
        String image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/checkout:1.8.2@sha256:" + DIGEST_1;
        // Two policies: the pod's namespace's (selected by a pod label) blocks the read; another namespace's,
        // with the same selector, would block cat: it must not apply.
        Path p = policy(blockRead("payments", "app: checkout", secret.toString()) + "---\n"
                + blockRead("default", "app: checkout", "/etc/hostname"));
        var r = AgentProcess.run("--container-name", "checkout", "--policy", p.toString(), "--", "sh", "-c",
                        "head " + secret + "; cat /etc/hostname")
                .env(PodInfo.NAMESPACE, "payments").env(PodInfo.NAME, "checkout-6d8f9c7b5-q2w8z")
                .env(PodInfo.UID, "0b5c7e61-3f1a-4c9e-9d2b-7a8e6f4c1d20").env(PodInfo.NODE, "fargate-ip-10-0-3-17")
                .env(PodInfo.SERVICE_ACCOUNT, "checkout").env(PodInfo.IMAGE, image)
                .env(PodInfo.CONTAINER_ID, containerId).env(PodInfo.LABELS_FILE, labels.toString()).await(dir);
        assertThat(r.stderr()).contains("Permission denied").doesNotContain("/etc/hostname: Permission denied");
        assertThat(r.alerts()).as(r.stderr()).hasSize(1);
        JsonNode ours = r.alerts().getFirst();
        JsonNode seed;
        try (InputStream in = getClass().getResourceAsStream("/seeds/002-eks-fargate-alert.json")) {
            seed = AgentProcess.JSON.readTree(in);
        }
        List<String> seedFields = new ArrayList<>();
        seed.fieldNames().forEachRemaining(seedFields::add);
        for (String field : seedFields) {
            assertThat(ours.has(field)).as(field + " in " + ours).isTrue();
            assertThat(ours.get(field).getNodeType()).as(field).isEqualTo(seed.get(field).getNodeType());
        }
        List<String> ourFields = new ArrayList<>();
        for (Iterator<String> i = ours.fieldNames(); i.hasNext(); ) {
            String f = i.next();
            if (seed.has(f)) {
                ourFields.add(f);
            }
        }
        assertThat(ourFields).as("KubeArmor's order").isEqualTo(seedFields);
        // The same shapes as the seed's values ...
        String labelShape = "[^=,]+=[^,]*(,[^=,]+=[^,]*)*";
        String imageShape = "[^@\\s]+:[^@/:\\s]+@sha256:[0-9a-f]{64}";
        for (JsonNode a : List.of(seed, ours)) {
            assertThat(a.get("NamespaceName").asText()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
            assertThat(a.get("PodName").asText()).matches("[a-z0-9]([-.a-z0-9]*[a-z0-9])?");
            assertThat(a.get("ContainerID").asText()).matches("[0-9a-f]{64}");
            assertThat(a.get("ContainerImage").asText()).matches(imageShape);
            assertThat(a.get("Labels").asText()).matches(labelShape)
                    .contains("kubearmor.io/container.name=" + a.get("ContainerName").asText())
                    .contains("eks.amazonaws.com/fargate-profile=");
        }
        // ... with this pod's values.
        assertThat(ours.get("NamespaceName").asText()).isEqualTo("payments");
        assertThat(ours.get("PodName").asText()).isEqualTo("checkout-6d8f9c7b5-q2w8z");
        assertThat(ours.get("ContainerID").asText()).isEqualTo(containerId);
        assertThat(ours.get("ContainerImage").asText()).isEqualTo(image);
        assertThat(ours.get("Labels").asText()).isEqualTo("app=checkout,eks.amazonaws.com/fargate-profile="
                + "fp-payments,kubearmor.io/container.name=checkout,pod-template-hash=6d8f9c7b5");
        assertThat(ours.get("PolicyName").asText()).isEqualTo("block-payments");
    }

    @Test
    void aBrokenLabelsFileStopsTheStartWithFileAndLine() throws Exception {
        Path labels = Files.writeString(dir.resolve("labels"), "app=\"checkout\"\napp-without-quotes=x\n");
        var r = AgentProcess.run("--", "true").env(PodInfo.NAMESPACE, "payments")
                .env(PodInfo.LABELS_FILE, labels.toString()).await(dir);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains(labels + ":2: label app-without-quotes: expected a double-quoted value, "
                + "got: x").contains("the workload was not started");
    }
}
