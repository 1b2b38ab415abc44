package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay's authorization denies by default: every served method is in a group, any other is refused. */
class AuthTest {
    @TempDir
    Path dir;

    @Test
    void everyMethodTheRelayServesIsInAnAuthorizationGroup() throws Exception {
        List<String> served = new ArrayList<>();
        try (TestRelay relay = TestRelay.start(dir)) {
            for (ServerServiceDefinition s : relay.server.services()) {
                for (ServerMethodDefinition<?, ?> m : s.getMethods()) {
                    served.add(m.getMethodDescriptor().getFullMethodName());
                }
            }
        }
        assertThat(served).hasSizeGreaterThanOrEqualTo(12)
                .contains("feeder.LogService/WatchLogs", "ward.relay.v1.RelayAdmin/Watch");
        assertThat(served).allSatisfy(m -> assertThat(Auth.GROUPS).as(m + " has no authorization group")
                .containsKey(m));
        // And the list names nothing the relay does not serve (a typo would leave the real method out).
        assertThat(served).containsExactlyInAnyOrderElementsOf(Auth.GROUPS.keySet());
    }

    @Test
    void aMethodInNoGroupIsRefusedEvenOnAnOpenRelayAndLogged() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // No read token: the read group is open. Before, an unlisted method fell into it.
        Auth auth = new Auth("agent", "admin", null, new PrintStream(log, true, StandardCharsets.UTF_8));
        MethodDescriptor<Empty, Empty> secret = MethodDescriptor.<Empty, Empty>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("ward.relay.v1.RelayAdmin/Undeclared")
                .setRequestMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
                .setResponseMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance())).build();
        boolean[] reached = {false};
        ServerServiceDefinition service = ServerServiceDefinition.builder("ward.relay.v1.RelayAdmin")
                .addMethod(secret, ServerCalls.asyncUnaryCall((req, out) -> {
                    reached[0] = true;
                    out.onNext(Empty.getDefaultInstance());
                    out.onCompleted();
                })).build();
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name).addService(ServerInterceptors.intercept(service, auth))
                .build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            for (String token : new String[] {null, "admin", "agent"}) {
                var call = channel.newCall(secret, token == null ? io.grpc.CallOptions.DEFAULT
                        : io.grpc.CallOptions.DEFAULT.withCallCredentials(TestRelay.bearer(token)));
                assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(call, Empty.getDefaultInstance()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                                .isEqualTo(Status.Code.PERMISSION_DENIED));
            }
            assertThat(reached[0]).isFalse();
            assertThat(log.toString(StandardCharsets.UTF_8))
                    .contains("refused ward.relay.v1.RelayAdmin/Undeclared").contains("no authorization group");
        } finally {
            channel.shutdownNow();
            server.shutdownNow();
        }
    }

    @Test
    void theGroupsKeepTheirTokens() {
        Auth open = new Auth("agent", null, null, System.err);
        byte[] none = null;
        assertThat(open.check("feeder.LogService/WatchAlerts", none)).isNull();
        assertThat(open.check("ward.relay.v1.RelayAdmin/ApplyPolicies", "agent".getBytes()).getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(open.check("ward.relay.v1.AgentRelay/Connect", none).getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        Auth closed = new Auth("agent", "admin", "read", System.err);
        assertThat(closed.check("ward.relay.v1.RelayAdmin/ListAgents", none).getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(closed.check("ward.relay.v1.RelayAdmin/ListAgents", "read".getBytes())).isNull();
        assertThat(closed.check("ward.relay.v1.RelayAdmin/DeletePolicy", "read".getBytes()).getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
    }
}
