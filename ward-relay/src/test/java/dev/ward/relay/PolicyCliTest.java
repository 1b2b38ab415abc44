package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ward policy with namespaces, re-adds and counts, against a relay on loopback with a connected agent. */
class PolicyCliTest {
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

    private TestRelay.FakeAgent agent(String container) throws Exception {
        var a = new TestRelay.FakeAgent(channel, TestRelay.AGENT_TOKEN, dev.ward.relay.api.Hello.newBuilder()
                .setAgentId("agent-" + container).setContainerName(container).build());
        a.nextBundle();
        return a;
    }

    private static String namespaced(String name, String namespace, String container) {
        return TestRelay.policy(name, container, "/etc/shadow").replace("  name: " + name + "\n",
                "  name: " + name + "\n  namespace: " + namespace + "\n");
    }

    @Test
    void aNamespacedPolicyIsFoundWithDashNOrNamespaceSlashNameAndTheBareNameGetsAHint() throws Exception {
        var web = agent("web");
        Path file = Files.writeString(dir.resolve("ksp.yaml"), namespaced("ksp-block", "default", "web"));
        var add = NettyRelay.run(new PolicyAddCommand(), admin, file.toString());
        assertThat(add.out()).as(add.err()).contains("default/ksp-block: Applied (version 1, sent to 1 agent)");
        assertThat(web.nextBundle().getPolicies(0).getNamespace()).isEqualTo("default");

        var list = NettyRelay.run(new PolicyListCommand(), admin);
        assertThat(list.out()).contains("default/ksp-block");
        var other = NettyRelay.run(new PolicyListCommand(), admin, "-n", "kube-system");
        assertThat(other.out()).doesNotContain("ksp-block").contains("0 policies in namespace kube-system");

        var bare = NettyRelay.run(new PolicyGetCommand(), admin, "ksp-block");
        assertThat(bare.exit()).isEqualTo(1);
        assertThat(bare.err()).contains("NOT_FOUND").contains("it exists in namespace default")
                .contains("ward policy get -n default ksp-block (or default/ksp-block)");
        assertThat(bare.err().strip().lines()).hasSize(1);

        assertThat(NettyRelay.run(new PolicyGetCommand(), admin, "-n", "default", "ksp-block").out())
                .contains("name: ksp-block");
        assertThat(NettyRelay.run(new PolicyGetCommand(), admin, "default/ksp-block").out())
                .contains("namespace: default");
        var clash = NettyRelay.run(new PolicyGetCommand(), admin, "-n", "prod", "default/ksp-block");
        assertThat(clash.exit()).isEqualTo(2);
        assertThat(clash.err()).contains("'default/ksp-block' is in namespace default but -n says prod");

        var notThere = NettyRelay.run(new PolicyDeleteCommand(), admin, "ksp-block");
        assertThat(notThere.exit()).isEqualTo(1);
        assertThat(notThere.err()).contains("NotExist").contains("ward policy delete -n default ksp-block");

        var delete = NettyRelay.run(new PolicyDeleteCommand(), admin, "default/ksp-block");
        assertThat(delete.exit()).as(delete.err()).isZero();
        assertThat(delete.out()).contains("default/ksp-block: Deleted (version 2, removed from 1 agent)");
        assertThat(web.nextBundle().getPoliciesCount()).isZero();
    }

    @Test
    void reAddingAnUnchangedPolicySaysUnchangedKeepsTheVersionAndSendsNothing() throws Exception {
        var web = agent("web");
        Path file = Files.writeString(dir.resolve("p.yaml"), TestRelay.policy("block-shadow", "web", "/etc/shadow"));
        assertThat(NettyRelay.run(new PolicyAddCommand(), admin, file.toString()).out())
                .contains("block-shadow: Applied (version 1, sent to 1 agent)");
        web.nextBundle();
        var again = NettyRelay.run(new PolicyAddCommand(), admin, file.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).isEqualTo("block-shadow: unchanged (version 1)" + System.lineSeparator());
        assertThat(relay.store.policyVersion()).isEqualTo(1);
        assertThat(web.bundles.poll(300, TimeUnit.MILLISECONDS)).isNull();

        Files.writeString(file, TestRelay.policy("block-shadow", "web", "/etc/gshadow"));
        assertThat(NettyRelay.run(new PolicyAddCommand(), admin, file.toString()).out())
                .contains("block-shadow: Modified (version 2, sent to 1 agent)");
        assertThat(web.nextBundle().getPolicies(0).getYaml()).contains("/etc/gshadow");
    }

    @Test
    void deleteCountsTheAgentsThatHeldThePolicy() throws Exception {
        var web = agent("web");
        var web2 = agent("web");
        var db = agent("db");
        Path file = Files.writeString(dir.resolve("p.yaml"), TestRelay.policy("w", "web", "/etc/shadow"));
        assertThat(NettyRelay.run(new PolicyAddCommand(), admin, file.toString()).out()).contains("sent to 2 agents");
        web.nextBundle();
        web2.nextBundle();
        var list = NettyRelay.run(new PolicyListCommand(), admin);
        assertThat(list.out()).containsPattern("(?m)^w\\s+1\\s+\\S+\\s+2\\s+KubeArmorPolicy$");
        web2.disconnect();
        TestRelay.await("web2 to leave", () -> relay.server.agentCount() == 2);
        var delete = NettyRelay.run(new PolicyDeleteCommand(), admin, "w");
        assertThat(delete.out()).contains("w: Deleted (version 2, removed from 1 agent)");
        assertThat(db.bundles).isEmpty();
    }
}
