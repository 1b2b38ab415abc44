package dev.ward.relay;

import dev.ward.policy.testing.PolicyYaml;
import dev.ward.relay.api.AgentMessage;
import dev.ward.relay.api.AgentRelayGrpc;
import dev.ward.relay.api.Event;
import dev.ward.relay.api.EventBatch;
import dev.ward.relay.api.Hello;
import dev.ward.relay.api.PolicyBundle;
import dev.ward.relay.api.RelayMessage;
import dev.ward.relay.api.feeder.Alert;
import dev.ward.relay.api.feeder.Log;
import dev.ward.relay.store.Store;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.StreamObserver;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A relay in-process on a SQLite store, with tokens, and helpers to play agents and clients. */
final class TestRelay implements AutoCloseable {
    static final String AGENT_TOKEN = "agent-secret";
    static final String ADMIN_TOKEN = "admin-secret";

    final Store store;
    final RelayServer server;
    final ManagedChannel channel;
    private final String name = InProcessServerBuilder.generateName();

    TestRelay(Path db, RelayServer.Settings settings) throws Exception {
        this.store = Store.open(db.toString(), null, null);
        this.server = RelayServer.start(InProcessServerBuilder.forName(name), settings, store,
                new PrintStream(PrintStream.nullOutputStream()));
        this.channel = InProcessChannelBuilder.forName(name).build();
    }

    static TestRelay start(Path dir) throws Exception {
        return new TestRelay(dir.resolve("relay.db"), RelayServer.Settings.of(AGENT_TOKEN, ADMIN_TOKEN, null));
    }

    /**
     * The stub with the token and a 30 s deadline for each call: a deadline set on the stub would be one instant for
     * every call made with it, which a long test under load outlives.
     */
    static <S extends AbstractStub<S>> S as(S stub, String token) {
        return stub.withCallCredentials(bearer(token)).withInterceptors(new io.grpc.ClientInterceptor() {
            @Override
            public <Q, R> io.grpc.ClientCall<Q, R> interceptCall(io.grpc.MethodDescriptor<Q, R> method,
                    io.grpc.CallOptions options, io.grpc.Channel next) {
                return next.newCall(method, options.withDeadlineAfter(30, TimeUnit.SECONDS));
            }
        });
    }

    static CallCredentials bearer(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, java.util.concurrent.Executor executor,
                    MetadataApplier applier) {
                Metadata m = new Metadata();
                m.put(Auth.AUTHORIZATION, "Bearer " + token);
                applier.apply(m);
            }
        };
    }

    FakeAgent agent(String container, Map<String, String> labels) {
        return new FakeAgent(channel, AGENT_TOKEN, Hello.newBuilder().setAgentId("id-" + container + "-"
                + System.nanoTime()).setContainerName(container).putAllLabels(labels).setTaskArn("arn:task/" + container)
                .setTaskFamily("family-" + container).setVersion("test").build());
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.close();
        store.close();
    }

    static Event alert(String container, String resource, long tsNanos) {
        return Event.newBuilder().setTimestampNanos(tsNanos).setAlert(Alert.newBuilder().setType("MatchedPolicy")
                .setContainerName(container).setOperation("File").setResource(resource).setPolicyName("p")
                .setAction("Block").setResult("Permission denied").setTimestamp(tsNanos / 1_000_000_000L)).build();
    }

    static Event log(String container, String resource, long tsNanos) {
        return Event.newBuilder().setTimestampNanos(tsNanos).setLog(Log.newBuilder().setType("ContainerLog")
                .setContainerName(container).setOperation("Process").setResource(resource)
                .setResult("Passed")).build();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, Duration.ofSeconds(30), condition);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** An agent speaking the AgentRelay protocol by hand. */
    static final class FakeAgent implements StreamObserver<RelayMessage> {
        final BlockingQueue<PolicyBundle> bundles = new LinkedBlockingQueue<>();
        final BlockingQueue<Long> acks = new LinkedBlockingQueue<>();
        final BlockingQueue<dev.ward.relay.api.MeshUpdate> meshes = new LinkedBlockingQueue<>();
        final String agentId;
        volatile Status closed;
        private final StreamObserver<AgentMessage> out;

        FakeAgent(ManagedChannel channel, String token, Hello hello) {
            agentId = hello.getAgentId();
            out = AgentRelayGrpc.newStub(channel).withCallCredentials(bearer(token)).connect(this);
            out.onNext(AgentMessage.newBuilder().setHello(hello).build());
        }

        synchronized void send(long sequence, Event... events) {
            out.onNext(AgentMessage.newBuilder().setBatch(EventBatch.newBuilder().setSequence(sequence)
                    .addAllEvents(java.util.List.of(events))).build());
        }

        synchronized void meshStatus(dev.ward.relay.api.MeshStatus status) {
            out.onNext(AgentMessage.newBuilder().setMeshStatus(status).build());
        }

        /** The next MeshUpdate, or null when none comes within {@code millis}. */
        dev.ward.relay.api.MeshUpdate nextMesh(long millis) throws InterruptedException {
            return meshes.poll(millis, TimeUnit.MILLISECONDS);
        }

        PolicyBundle nextBundle() throws InterruptedException {
            PolicyBundle b = bundles.poll(30, TimeUnit.SECONDS);
            if (b == null) {
                throw new AssertionError("no policy set within 30 s (stream status " + closed + ")");
            }
            return b;
        }

        long nextAck() throws InterruptedException {
            Long a = acks.poll(30, TimeUnit.SECONDS);
            if (a == null) {
                throw new AssertionError("no ack within 30 s (stream status " + closed + ")");
            }
            return a;
        }

        Status awaitClosed() throws InterruptedException {
            await("the stream to end", () -> closed != null);
            return closed;
        }

        void disconnect() {
            out.onCompleted();
        }

        @Override
        public void onNext(RelayMessage m) {
            if (m.hasPolicies()) {
                bundles.add(m.getPolicies());
            } else if (m.hasAck()) {
                acks.add(m.getAck().getSequence());
            } else if (m.hasMesh()) {
                meshes.add(m.getMesh());
            }
        }

        @Override
        public void onError(Throwable t) {
            closed = Status.fromThrowable(t);
        }

        @Override
        public void onCompleted() {
            closed = Status.OK;
        }
    }

    /** A KubeArmorPolicy blocking reads of {@code path} in container {@code container}. */
    static String policy(String name, String container, String path) {
        return PolicyYaml.blockFile(name, container, path);
    }
}
