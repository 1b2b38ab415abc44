package dev.ward.relay;

import static dev.ward.relay.TestRelay.ADMIN_TOKEN;
import static dev.ward.relay.TestRelay.alert;
import static dev.ward.relay.TestRelay.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.ward.relay.api.feeder.Alert;
import dev.ward.relay.api.feeder.Log;
import dev.ward.relay.api.feeder.LogServiceGrpc;
import dev.ward.relay.api.feeder.Message;
import dev.ward.relay.api.feeder.NonceMessage;
import dev.ward.relay.api.feeder.RequestMessage;
import dev.ward.relay.api.policy.PolicyServiceGrpc;
import dev.ward.relay.api.policy.PolicyStatus;
import dev.ward.relay.api.policy.policy;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The services karmor calls, through clients generated from the feeder and policy protos. */
class KubeArmorCompatTest {
    @TempDir
    Path dir;
    TestRelay relay;

    @BeforeEach
    void start() throws Exception {
        relay = TestRelay.start(dir);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void healthCheckAnswersTheNonce() {
        var feeder = LogServiceGrpc.newBlockingStub(relay.channel);
        assertThat(feeder.healthCheck(NonceMessage.newBuilder().setNonce(4242).build()).getRetval()).isEqualTo(4242);
        assertThat(feeder.healthCheck(NonceMessage.newBuilder().setNonce(-7).build()).getRetval()).isEqualTo(-7);
    }

    @Test
    void aKarmorLogWatcherIsToldWhenNoConnectedAgentSendsLogs() throws Exception {
        var agent = new TestRelay.FakeAgent(relay.channel, TestRelay.AGENT_TOKEN, dev.ward.relay.api.Hello
                .newBuilder().setAgentId("a").setContainerName("web").setLogFilter("policy").build());
        agent.nextBundle();
        var feeder = LogServiceGrpc.newBlockingStub(relay.channel);
        Iterator<Log> logs = feeder.watchLogs(RequestMessage.newBuilder().setFilter("all").build());
        Log first = logs.next();
        assertThat(first.getType()).isEqualTo("WardNotice");
        assertThat(first.getData()).contains("none of the 1 connected agents sends logs")
                .contains("WARD_LOG_FILTER=all");
    }

    @Test
    void watchAlertsStreamsAlertsAndWatchLogsStreamsLogs() throws Exception {
        var feeder = LogServiceGrpc.newBlockingStub(relay.channel);
        Iterator<Alert> alerts = feeder.watchAlerts(RequestMessage.newBuilder().setFilter("policy").build());
        Iterator<Log> logs = feeder.watchLogs(RequestMessage.newBuilder().setFilter("system").build());
        Iterator<Message> messages = feeder.watchMessages(RequestMessage.newBuilder().setFilter("all").build());
        assertThat(messages.next().getMessage()).contains("0 agents connected");
        TestRelay.await("two watchers", () -> relay.server.watcherCount() == 2);

        var agent = relay.agent("armored-container", Map.of());
        agent.nextBundle();
        assertThat(messages.next().getMessage()).contains("agent connected").contains("armored-container");
        agent.send(1, TestRelay.log("armored-container", "/bin/ls", 1_000_000_000L),
                alert("armored-container", "/etc/shadow", 2_000_000_000L));
        Alert a = alerts.next();
        assertThat(a.getContainerName()).isEqualTo("armored-container");
        assertThat(a.getResource()).isEqualTo("/etc/shadow");
        assertThat(a.getType()).isEqualTo("MatchedPolicy");
        assertThat(a.getTimestamp()).isEqualTo(2);
        Log l = logs.next();
        assertThat(l.getResource()).isEqualTo("/bin/ls");
        assertThat(l.getType()).isEqualTo("ContainerLog");
    }

    @Test
    void anUnknownFilterIsRefusedWithTheAcceptedOnes() {
        var feeder = LogServiceGrpc.newBlockingStub(relay.channel);
        Iterator<Alert> alerts = feeder.watchAlerts(RequestMessage.newBuilder().setFilter("system").build());
        assertThatThrownBy(alerts::hasNext).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("all or policy");
        });
    }

    private static policy event(String type, String name, String path) {
        String json = """
                {"type":"%s","object":{"apiVersion":"security.kubearmor.com/v1","kind":"KubeArmorPolicy",
                 "metadata":{"name":"%s"},
                 "spec":{"selector":{"matchLabels":{"kubearmor.io/container.name":"armored-container"}},
                         "process":{"matchPaths":[{"path":"%s"}]},"action":"Block"}}}
                """.formatted(type, name, path);
        return policy.newBuilder().setPolicy(ByteString.copyFrom(json, StandardCharsets.UTF_8)).build();
    }

    @Test
    void containerPolicyAppliesModifiesAndDeletesLikeKubeArmor() throws Exception {
        var agent = relay.agent("armored-container", Map.of());
        assertThat(agent.nextBundle().getPoliciesCount()).isZero();
        var policies = as(PolicyServiceGrpc.newBlockingStub(relay.channel), ADMIN_TOKEN);

        assertThat(policies.containerPolicy(event("ADDED", "ksp-block-sleep", "/bin/sleep")).getStatus())
                .isEqualTo(PolicyStatus.Applied);
        var bundle = agent.nextBundle();
        assertThat(bundle.getPolicies(0).getName()).isEqualTo("ksp-block-sleep");
        assertThat(bundle.getPolicies(0).getYaml()).contains("/bin/sleep");

        // KubeArmor answers Applied for every ADDED, replacing or not; MODIFIED is answered Modified.
        assertThat(policies.containerPolicy(event("ADDED", "ksp-block-sleep", "/usr/bin/sleep")).getStatus())
                .isEqualTo(PolicyStatus.Applied);
        assertThat(agent.nextBundle().getPolicies(0).getYaml()).contains("/usr/bin/sleep");
        assertThat(policies.containerPolicy(event("MODIFIED", "ksp-block-sleep", "/bin/true")).getStatus())
                .isEqualTo(PolicyStatus.Modified);
        assertThat(agent.nextBundle().getPolicies(0).getYaml()).contains("/bin/true");

        assertThat(policies.containerPolicy(event("DELETED", "ksp-block-sleep", "/bin/true")).getStatus())
                .isEqualTo(PolicyStatus.Deleted);
        assertThat(agent.nextBundle().getPoliciesCount()).isZero();
        assertThat(policies.containerPolicy(event("DELETED", "ksp-block-sleep", "/usr/bin/sleep")).getStatus())
                .isEqualTo(PolicyStatus.NotExist);

        assertThat(policies.containerPolicy(event("ADDED", "bad", "not-absolute")).getStatus())
                .isEqualTo(PolicyStatus.Invalid);
        assertThat(policies.containerPolicy(policy.newBuilder().setPolicy(ByteString.copyFromUtf8("{nope")).build())
                .getStatus()).isEqualTo(PolicyStatus.Invalid);
        assertThat(relay.store.policies()).isEmpty();
    }

    @Test
    void containerPolicyWithoutTheAdminTokenChangesNothing() throws Exception {
        var anonymous = PolicyServiceGrpc.newBlockingStub(relay.channel);
        assertThatThrownBy(() -> anonymous.containerPolicy(event("ADDED", "x", "/bin/sleep")))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThat(relay.store.policyVersion()).isZero();
    }
}
