package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import upstream.kubearmor.Kubearmor;
import upstream.kubearmor.LogServiceGrpc;
import upstream.kubearmor.Policy;
import upstream.kubearmor.PolicyServiceGrpc;

/** karmor's policy commands without a token, on a loopback-only listener that is off by default. */
class KarmorAdminListenerTest {
    @TempDir
    Path dir;

    private static Policy.policy payload(String json) {
        return Policy.policy.newBuilder().setPolicy(ByteString.copyFrom(json, StandardCharsets.UTF_8)).build();
    }

    @Test
    void karmorWithoutATokenChangesPoliciesThroughTheLoopbackListenerOnly() throws Exception {
        try (NettyRelay relay = new NettyRelay(dir.resolve("relay.db"), 0,
                RelayServer.Settings.of(TestRelay.AGENT_TOKEN, TestRelay.ADMIN_TOKEN, null))) {
            int adminPort = relay.server.startKarmorAdmin(NettyServerBuilder.forAddress(
                    KarmorAdminListener.parse("127.0.0.1:0"), InsecureServerCredentials.create()));
            ManagedChannel main = NettyChannelBuilder.forTarget(relay.address()).usePlaintext().build();
            ManagedChannel admin = NettyChannelBuilder.forTarget("127.0.0.1:" + adminPort).usePlaintext().build();
            try {
                var agent = new TestRelay.FakeAgent(main, TestRelay.AGENT_TOKEN, dev.ward.relay.api.Hello.newBuilder()
                        .setAgentId("a").setContainerName("web").build());
                assertThat(agent.nextBundle().getPoliciesCount()).isZero();
                String add = UpstreamKarmorTest.karmorPayload("ADDED", "ksp-shadow", "/etc/shadow", "Block");

                // The main port still wants the admin token: karmor (no token) is refused there.
                assertThatThrownBy(() -> PolicyServiceGrpc.newBlockingStub(main).containerPolicy(payload(add)))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus()
                                .getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
                assertThat(relay.store.policyVersion()).isZero();

                var karmor = PolicyServiceGrpc.newBlockingStub(admin).withDeadlineAfter(30, TimeUnit.SECONDS);
                assertThat(karmor.containerPolicy(payload(add)).getStatus()).isEqualTo(Policy.PolicyStatus.Applied);
                assertThat(agent.nextBundle().getPolicies(0).getYaml()).contains("/etc/shadow");
                assertThat(karmor.containerPolicy(payload(UpstreamKarmorTest.karmorPayload("DELETED", "ksp-shadow",
                        "/etc/shadow", ""))).getStatus()).isEqualTo(Policy.PolicyStatus.Deleted);
                assertThat(agent.nextBundle().getPoliciesCount()).isZero();

                // Nothing else is served there, not even reading.
                assertThatThrownBy(() -> LogServiceGrpc.newBlockingStub(admin).healthCheck(
                        Kubearmor.NonceMessage.newBuilder().setNonce(1).build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus()
                                .getCode()).isIn(Status.Code.UNIMPLEMENTED, Status.Code.PERMISSION_DENIED));
            } finally {
                main.shutdownNow();
                admin.shutdownNow();
            }
        }
    }

    @Test
    void onlyLoopbackAddressesAreAccepted() {
        assertThat(KarmorAdminListener.parse("127.0.0.1:32768").getPort()).isEqualTo(32768);
        assertThat(KarmorAdminListener.parse("[::1]:32768").getAddress().isLoopbackAddress()).isTrue();
        assertThat(KarmorAdminListener.parse("localhost:32768").getAddress().isLoopbackAddress()).isTrue();
        for (String bad : new String[] {"0.0.0.0:32768", "10.0.0.5:32768", "[::]:32768"}) {
            assertThatThrownBy(() -> KarmorAdminListener.parse(bad)).hasMessageContaining("not a loopback address")
                    .hasMessageContaining("port forward");
        }
        assertThatThrownBy(() -> KarmorAdminListener.parse("32768")).hasMessageContaining("expected HOST:PORT");
        assertThatThrownBy(() -> KarmorAdminListener.parse("127.0.0.1:99999")).hasMessageContaining("0-65535");
    }

    @Test
    void callsFromOtherPeersOrToOtherMethodsAreRefused() {
        var loopback = new InetSocketAddress("127.0.0.1", 5000);
        assertThat(KarmorAdminListener.check(KarmorAdminListener.METHOD, loopback)).isNull();
        assertThat(KarmorAdminListener.check(KarmorAdminListener.METHOD, new InetSocketAddress("192.0.2.7", 5000))
                .getDescription()).contains("loopback only");
        assertThat(KarmorAdminListener.check("feeder.LogService/WatchAlerts", loopback).getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void theRelayCommandRefusesANonLoopbackAdminAddress() {
        RelayCommand command = new RelayCommand();
        command.env = Map.of("WARD_RELAY_AGENT_TOKEN", "t");
        var err = new java.io.StringWriter();
        int exit = new picocli.CommandLine(command).setErr(new java.io.PrintWriter(err, true)).execute("--store",
                dir.resolve("r.db").toString(), "--port", "0", "--metrics-port", "0", "--karmor-admin-listen",
                "0.0.0.0:32768");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("0.0.0.0 is not a loopback address");
    }
}
