package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.relay.api.ApplyRequest;
import dev.ward.relay.api.DeleteRequest;
import dev.ward.relay.api.Hello;
import dev.ward.relay.api.RelayAdminGrpc;
import dev.ward.relay.api.policy.PolicyStatus;
import dev.ward.relay.store.PostgresServer;
import dev.ward.relay.store.Store;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two relays behind a load balancer on one PostgreSQL: a change made through one reaches the other's agents, for
 * KubeArmorPolicies and AuthorizationPolicies alike.
 */
@Tag("process")
class SharedStoreTest {
    @Test
    void aPolicyAppliedThroughOneRelayReachesAgentsOfTheOther() throws Exception {
        try (PostgresServer pg = PostgresServer.start()) {
            String url = pg.newDatabase("shared_relays");
            var settings = new RelayServer.Settings(TestRelay.AGENT_TOKEN, TestRelay.ADMIN_TOKEN, null, 1024,
                    Duration.ZERO, Duration.ofMillis(200));
            String a = InProcessServerBuilder.generateName();
            String b = InProcessServerBuilder.generateName();
            PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
            try (Store storeA = Store.open(url, PostgresServer.user(), null);
                    Store storeB = Store.open(url, PostgresServer.user(), null);
                    RelayServer relayA = RelayServer.start(InProcessServerBuilder.forName(a), settings, storeA, quiet);
                    RelayServer relayB = RelayServer.start(InProcessServerBuilder.forName(b), settings, storeB, quiet)) {
                ManagedChannel toA = InProcessChannelBuilder.forName(a).build();
                ManagedChannel toB = InProcessChannelBuilder.forName(b).build();
                try {
                    var agent = new TestRelay.FakeAgent(toB, TestRelay.AGENT_TOKEN, Hello.newBuilder()
                            .setAgentId("on-b").setContainerName("web").build());
                    assertThat(agent.nextBundle().getPoliciesCount()).isZero();
                    var result = TestRelay.as(RelayAdminGrpc.newBlockingStub(toA), TestRelay.ADMIN_TOKEN)
                            .applyPolicies(ApplyRequest.newBuilder().setYaml(TestRelay.policy("shared", "web",
                                    "/etc/shadow")).build()).getResults(0);
                    assertThat(result.getStatus()).isEqualTo(PolicyStatus.Applied);
                    assertThat(result.getAgents()).as("relay A has no agents of its own").isZero();
                    var bundle = agent.nextBundle();
                    assertThat(bundle.getPolicies(0).getName()).isEqualTo("shared");
                    assertThat(bundle.getVersion()).isEqualTo(1);

                    // AuthorizationPolicies share the version and the announcement: the meshed agent on B gets it.
                    var meshed = new TestRelay.FakeAgent(toB, TestRelay.AGENT_TOKEN, Hello.newBuilder()
                            .setAgentId("meshed-on-b").setContainerName("api").setMesh(true).build());
                    assertThat(meshed.nextBundle().getAuthorizationPoliciesCount()).isZero();
                    var admin = TestRelay.as(RelayAdminGrpc.newBlockingStub(toA), TestRelay.ADMIN_TOKEN);
                    assertThat(admin.applyPolicies(ApplyRequest.newBuilder().setYaml(AuthorizationPolicyCliTest
                            .DENY_ALL).build()).getResults(0).getVersion()).isEqualTo(2);
                    var withDenyAll = meshed.nextBundle();
                    assertThat(withDenyAll.getVersion()).isEqualTo(2);
                    assertThat(withDenyAll.getAuthorizationPolicies(0).getName()).isEqualTo("deny-all");
                    assertThat(admin.deletePolicy(DeleteRequest.newBuilder().setNamespace("demo").setName("deny-all")
                            .build()).getStatus()).isEqualTo(PolicyStatus.Deleted);
                    assertThat(meshed.nextBundle().getAuthorizationPoliciesCount()).isZero();
                    assertThat(agent.bundles).as("the agent without the mesh holds no AuthorizationPolicy").isEmpty();
                } finally {
                    toA.shutdownNow();
                    toB.shutdownNow();
                }
            }
        }
    }
}
