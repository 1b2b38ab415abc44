package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.relay.api.Hello;
import dev.ward.relay.api.PolicyDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ward policy add|list|get|delete} with Istio AuthorizationPolicies, against a relay on loopback: stored beside
 * KubeArmorPolicies with the same versions and answers, sent to the agents with the mesh on (never to the others).
 */
class AuthorizationPolicyCliTest {
    static final String DENY_ALL = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: deny-all
              namespace: demo
            spec: {}
            """;

    @TempDir
    Path dir;
    NettyRelay relay;
    Map<String, String> admin;
    io.grpc.ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        relay = new NettyRelay(dir.resolve("relay.db"), 0,
                RelayServer.Settings.of(TestRelay.AGENT_TOKEN, TestRelay.ADMIN_TOKEN, null));
        admin = Map.of("WARD_RELAY", relay.address(), "WARD_RELAY_ADMIN_TOKEN", TestRelay.ADMIN_TOKEN);
        channel = io.grpc.Grpc.newChannelBuilder(relay.address(), io.grpc.InsecureChannelCredentials.create()).build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        relay.close();
    }

    @Test
    void addedModifiedListedAndDeletedLikeKubeArmorPoliciesAndSentToMeshedAgentsOnly() throws Exception {
        var meshed = agent("web", true);
        var plain = agent("web", false);
        Path file = Files.writeString(dir.resolve("deny.yaml"), DENY_ALL);
        var add = NettyRelay.run(new PolicyAddCommand(), admin, file.toString());
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).isEqualTo("AuthorizationPolicy demo/deny-all: Applied (version 1, sent to 1 agent)"
                + System.lineSeparator());
        var bundle = meshed.nextBundle();
        assertThat(bundle.getPoliciesCount()).isZero();
        assertThat(bundle.getAuthorizationPoliciesList()).extracting(PolicyDocument::getNamespace,
                PolicyDocument::getName, PolicyDocument::getVersion).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("demo", "deny-all", 1L));
        assertThat(bundle.getAuthorizationPolicies(0).getYaml()).startsWith(DENY_ALL).isEqualToIgnoringWhitespace(DENY_ALL);
        assertThat(plain.bundles.poll(300, TimeUnit.MILLISECONDS)).as("an agent without the mesh").isNull();
        assertThat(add.err()).as("a valid policy without advice").isEmpty();

        assertThat(NettyRelay.run(new PolicyAddCommand(), admin, file.toString()).out())
                .isEqualTo("AuthorizationPolicy demo/deny-all: unchanged (version 1)" + System.lineSeparator());
        assertThat(meshed.bundles.poll(300, TimeUnit.MILLISECONDS)).isNull();

        Files.writeString(file, DENY_ALL.replace("spec: {}", "spec:\n  action: DENY\n  rules:\n  - {}"));
        assertThat(NettyRelay.run(new PolicyAddCommand(), admin, file.toString()).out())
                .contains("AuthorizationPolicy demo/deny-all: Modified (version 2, sent to 1 agent)");
        assertThat(meshed.nextBundle().getAuthorizationPolicies(0).getYaml()).contains("action: DENY");

        var list = NettyRelay.run(new PolicyListCommand(), admin);
        assertThat(list.out()).containsPattern("(?m)^NAME\\s+VERSION\\s+UPDATED\\s+AGENTS\\s+KIND$")
                .containsPattern("(?m)^demo/deny-all\\s+2\\s+\\S+\\s+1\\s+AuthorizationPolicy$");
        assertThat(NettyRelay.run(new PolicyGetCommand(), admin, "demo/deny-all").out()).contains("action: DENY");

        var delete = NettyRelay.run(new PolicyDeleteCommand(), admin, "-n", "demo", "deny-all");
        assertThat(delete.exit()).as(delete.err()).isZero();
        assertThat(delete.out()).isEqualTo("AuthorizationPolicy demo/deny-all: Deleted (version 3, removed from 1 "
                + "agent)" + System.lineSeparator());
        assertThat(meshed.nextBundle().getAuthorizationPoliciesCount()).isZero();
        assertThat(relay.store.policies()).isEmpty();
    }

    @Test
    void oneInvalidDocumentInAMixedSetStoresNothingAndTheErrorNamesItsPlace() throws Exception {
        var meshed = agent("web", true);
        String set = TestRelay.policy("block-shadow", "web", "/etc/shadow") + "---\n" + DENY_ALL + "---\n"
                + DENY_ALL.replace("deny-all", "allow-client").replace("spec: {}", "spec:\n  action: ALOW\n");
        Path file = Files.writeString(dir.resolve("set.yaml"), set);
        int line = (int) set.lines().takeWhile(l -> !l.contains("ALOW")).count() + 1;

        var add = NettyRelay.run(new PolicyAddCommand(), admin, file.toString());
        assertThat(add.exit()).isEqualTo(1);
        assertThat(add.err()).contains(file + ":" + line + ":11: error[")
                .contains(file + ": Invalid; nothing from this file was applied");
        assertThat(add.out()).isEmpty();
        assertThat(relay.store.policies()).isEmpty();
        assertThat(relay.store.policyVersion()).isZero();
        assertThat(meshed.bundles.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void theLintersWarningsArePrintedAndThePolicyIsStillApplied() throws Exception {
        Path file = Files.writeString(dir.resolve("anyone.yaml"), DENY_ALL.replace("name: deny-all", "name: anyone")
                .replace("spec: {}", "spec:\n  rules:\n  - from:\n    - source:\n        principals: ['*']"));
        var add = NettyRelay.run(new PolicyAddCommand(), admin, file.toString());
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.err()).startsWith(file + ":10:21: warning[WP020]: ");
        assertThat(add.out()).contains("AuthorizationPolicy demo/anyone: Applied (version 1");
    }

    @Test
    void anEgressPolicyIsStoredAndSentToMeshedAgentsLikeAnInboundOne() throws Exception {
        var meshed = agent("web", true);
        String egress = DENY_ALL.replace("name: deny-all", "name: stripe-only\n  annotations:\n"
                + "    ward.dev/direction: egress");
        Path file = Files.writeString(dir.resolve("egress.yaml"), TestRelay.policy("block-shadow", "web",
                "/etc/shadow") + "---\n" + egress);
        var add = NettyRelay.run(new PolicyAddCommand(), admin, file.toString());
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).contains("AuthorizationPolicy demo/stripe-only: Applied (version 2, sent to 1 agent)");
        assertThat(relay.store.policies()).hasSize(2);
        var bundle = meshed.nextBundle();
        while (bundle.getAuthorizationPoliciesCount() == 0) {
            bundle = meshed.nextBundle(); // the KubeArmorPolicy's version first
        }
        assertThat(bundle.getAuthorizationPoliciesList()).extracting(PolicyDocument::getName)
                .containsExactly("stripe-only");
        assertThat(bundle.getAuthorizationPolicies(0).getYaml()).contains("ward.dev/direction: egress");
    }

    @Test
    void aNameBothKindsUseIsDeletedByKind() throws Exception {
        String both = TestRelay.policy("shared", "web", "/etc/shadow").replace("  name: shared\n",
                "  name: shared\n  namespace: demo\n") + "---\n" + DENY_ALL.replace("deny-all", "shared");
        Path file = Files.writeString(dir.resolve("both.yaml"), both);
        var add = NettyRelay.run(new PolicyAddCommand(), admin, file.toString());
        assertThat(add.out()).as(add.err()).contains("demo/shared: Applied (version 1, sent to 0 agents)")
                .contains("AuthorizationPolicy demo/shared: Applied (version 2, sent to 0 agents)");
        assertThat(NettyRelay.run(new PolicyListCommand(), admin).out())
                .containsPattern("(?m)^demo/shared\\s+1\\s+\\S+\\s+0\\s+KubeArmorPolicy$")
                .containsPattern("(?m)^demo/shared\\s+2\\s+\\S+\\s+0\\s+AuthorizationPolicy$");

        var ambiguous = NettyRelay.run(new PolicyDeleteCommand(), admin, "demo/shared");
        assertThat(ambiguous.exit()).isEqualTo(1);
        assertThat(ambiguous.err()).contains("demo/shared is both a KubeArmorPolicy and an AuthorizationPolicy: "
                + "give the kind (--kind KubeArmorPolicy or --kind AuthorizationPolicy)");
        assertThat(NettyRelay.run(new PolicyGetCommand(), admin, "--kind", "authorizationpolicy", "demo/shared")
                .out()).contains("security.istio.io/v1");

        var byKind = NettyRelay.run(new PolicyDeleteCommand(), admin, "--kind", "AuthorizationPolicy", "demo/shared");
        assertThat(byKind.out()).as(byKind.err()).contains("AuthorizationPolicy demo/shared: Deleted (version 3");
        var rest = NettyRelay.run(new PolicyDeleteCommand(), admin, "demo/shared");
        assertThat(rest.out()).as(rest.err()).startsWith("demo/shared: Deleted (version 4");
        var bad = NettyRelay.run(new PolicyDeleteCommand(), admin, "--kind", "NetworkPolicy", "demo/shared");
        assertThat(bad.err()).contains("kind 'NetworkPolicy' is not KubeArmorPolicy or AuthorizationPolicy");
    }

    private TestRelay.FakeAgent agent(String container, boolean mesh) throws Exception {
        var a = new TestRelay.FakeAgent(channel, TestRelay.AGENT_TOKEN, Hello.newBuilder()
                .setAgentId("agent-" + container + "-" + mesh).setContainerName(container).setMesh(mesh).build());
        a.nextBundle();
        return a;
    }
}
