package dev.ward.relay;

import static dev.ward.relay.TestRelay.ADMIN_TOKEN;
import static dev.ward.relay.TestRelay.alert;
import static dev.ward.relay.TestRelay.as;
import static dev.ward.relay.TestRelay.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.relay.api.AgentInfo;
import dev.ward.relay.api.ApplyRequest;
import dev.ward.relay.api.DeleteRequest;
import dev.ward.relay.api.Hello;
import dev.ward.relay.api.ListAgentsRequest;
import dev.ward.relay.api.PolicyBundle;
import dev.ward.relay.api.PolicyDocument;
import dev.ward.relay.api.PolicyResult;
import dev.ward.relay.api.RelayAdminGrpc;
import dev.ward.relay.api.policy.PolicyStatus;
import dev.ward.relay.store.EventQuery;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentRelayServiceTest {
    @TempDir
    Path dir;
    TestRelay relay;
    RelayAdminGrpc.RelayAdminBlockingStub admin;

    @BeforeEach
    void start() throws Exception {
        relay = TestRelay.start(dir);
        admin = RelayAdminGrpc.newBlockingStub(relay.channel);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private List<PolicyResult> apply(String yaml) {
        return as(admin, ADMIN_TOKEN).applyPolicies(ApplyRequest.newBuilder().setYaml(yaml).setOrigin("test.yaml")
                .build()).getResultsList();
    }

    private static List<String> names(PolicyBundle b) {
        return b.getPoliciesList().stream().map(PolicyDocument::getName).toList();
    }

    @Test
    void anAgentWithoutTheRightTokenIsTurnedAway() throws Exception {
        var agent = new TestRelay.FakeAgent(relay.channel, "wrong", Hello.newBuilder().setAgentId("a")
                .setContainerName("web").build());
        Status s = agent.awaitClosed();
        assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(s.getDescription()).contains("WARD_RELAY_TOKEN");
        assertThat(relay.server.agentCount()).isZero();
    }

    @Test
    void agentsGetTheirPoliciesOnConnectAndOnEveryChangeAndOnlyTheirs() throws Exception {
        apply(policy("web-1", "web", "/etc/shadow"));
        apply(policy("db-1", "db", "/etc/shadow"));
        var web = relay.agent("web", Map.of());
        assertThat(names(web.nextBundle())).containsExactly("web-1");

        List<PolicyResult> added = apply(policy("web-2", "web", "/etc/passwd"));
        assertThat(added).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo(PolicyStatus.Applied);
            assertThat(r.getAgents()).isEqualTo(1);
        });
        PolicyBundle second = web.nextBundle();
        assertThat(names(second)).containsExactly("web-1", "web-2");
        assertThat(second.getPoliciesList().get(1).getYaml()).contains("/etc/passwd");

        // A change for another container sends web nothing: the next set web sees is its own next change.
        assertThat(apply(policy("db-1", "db", "/etc/group")).getFirst().getAgents()).isZero();
        assertThat(apply(policy("web-1", "web", "/etc/group")).getFirst().getStatus())
                .isEqualTo(PolicyStatus.Modified);
        PolicyBundle third = web.nextBundle();
        assertThat(third.getPoliciesList().getFirst().getYaml()).contains("/etc/group");
        assertThat(third.getVersion()).isGreaterThan(second.getVersion() + 1);

        PolicyResult deleted = as(admin, ADMIN_TOKEN).deletePolicy(DeleteRequest.newBuilder().setName("web-2").build());
        assertThat(deleted.getStatus()).isEqualTo(PolicyStatus.Deleted);
        assertThat(deleted.getAgents()).isEqualTo(1);
        assertThat(names(web.nextBundle())).containsExactly("web-1");
        assertThat(as(admin, ADMIN_TOKEN).deletePolicy(DeleteRequest.newBuilder().setName("web-2").build())
                .getStatus()).isEqualTo(PolicyStatus.NotExist);
    }

    @Test
    void wildcardSelectorsReachEveryContainer() throws Exception {
        var a = relay.agent("a", Map.of("app", "shop"));
        assertThat(a.nextBundle().getPoliciesCount()).isZero();
        apply(policy("all", "'*'", "/etc/shadow"));
        assertThat(names(a.nextBundle())).containsExactly("all");
    }

    @Test
    void batchesAreAcknowledgedOnceStoredAndAResendIsNotStoredTwice() throws Exception {
        var web = relay.agent("web", Map.of());
        web.nextBundle();
        web.send(1, alert("web", "/a", 10), alert("web", "/b", 11), TestRelay.log("web", "/bin/ls", 12));
        assertThat(web.nextAck()).isEqualTo(1);
        assertThat(relay.store.events(new EventQuery(0, null, "", "", 100))).hasSize(3);
        web.send(1, alert("web", "/a", 10), alert("web", "/b", 11), TestRelay.log("web", "/bin/ls", 12));
        assertThat(web.nextAck()).isEqualTo(1);
        web.send(2, alert("web", "/c", 13));
        assertThat(web.nextAck()).isEqualTo(2);
        assertThat(relay.store.events(new EventQuery(0, null, "", "", 100))).hasSize(4);

        AgentInfo info = as(admin, ADMIN_TOKEN).listAgents(ListAgentsRequest.getDefaultInstance()).getAgents(0);
        assertThat(info.getContainerName()).isEqualTo("web");
        assertThat(info.getTaskArn()).isEqualTo("arn:task/web");
        assertThat(info.getTaskFamily()).isEqualTo("family-web");
        assertThat(info.getEventsReceived()).isEqualTo(4);
        assertThat(info.getLastEventUnixMillis()).isPositive();
    }

    @Test
    void anInvalidDocumentRejectsTheWholeRequestWithPositions() throws Exception {
        String yaml = policy("good", "web", "/etc/shadow") + "---\n" + policy("bad", "web", "relative/path");
        List<PolicyResult> r = apply(yaml);
        assertThat(r).singleElement().satisfies(p -> {
            assertThat(p.getStatus()).isEqualTo(PolicyStatus.Invalid);
            assertThat(p.getMessage()).contains("test.yaml:").contains("relative/path");
        });
        assertThat(relay.store.policyVersion()).isZero();
        assertThat(relay.store.policies()).isEmpty();
    }

    @Test
    void multiDocumentFilesAreStoredOnePolicyPerDocument() throws Exception {
        List<PolicyResult> r = apply(policy("one", "web", "/a") + "---\n" + policy("two", "web", "/b"));
        assertThat(r).extracting(PolicyResult::getName).containsExactly("one", "two");
        assertThat(relay.store.policy("", "two").orElseThrow().yaml()).contains("name: two").doesNotContain("one");
    }

    @Test
    void policyChangesNeedTheAdminToken() {
        var request = ApplyRequest.newBuilder().setYaml(policy("x", "web", "/a")).build();
        assertThatThrownBy(() -> admin.applyPolicies(request)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThatThrownBy(() -> as(admin, TestRelay.AGENT_TOKEN).applyPolicies(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getDescription())
                        .contains("WARD_RELAY_ADMIN_TOKEN"));
        assertThatThrownBy(() -> as(admin, TestRelay.AGENT_TOKEN).deletePolicy(DeleteRequest.newBuilder()
                .setName("x").build())).isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void aRelayWithoutAnAdminTokenRefusesEveryPolicyChange() throws Exception {
        try (TestRelay open = new TestRelay(dir.resolve("open.db"),
                RelayServer.Settings.of(TestRelay.AGENT_TOKEN, null, null))) {
            var stub = RelayAdminGrpc.newBlockingStub(open.channel);
            assertThatThrownBy(() -> as(stub, "anything").applyPolicies(ApplyRequest.newBuilder()
                    .setYaml(policy("x", "web", "/a")).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                        assertThat(e.getStatus().getDescription()).contains("--admin-token-file");
                    });
            assertThat(open.store.policies()).isEmpty();
        }
    }
}
