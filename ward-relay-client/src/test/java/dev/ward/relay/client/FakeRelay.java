package dev.ward.relay.client;

import dev.ward.relay.api.Ack;
import dev.ward.relay.api.AgentMessage;
import dev.ward.relay.api.AgentRelayGrpc;
import dev.ward.relay.api.EventBatch;
import dev.ward.relay.api.Hello;
import dev.ward.relay.api.PolicyAck;
import dev.ward.relay.api.PolicyBundle;
import dev.ward.relay.api.RelayMessage;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A relay stand-in speaking AgentRelay in-process: records what agents send, acks when told to. */
final class FakeRelay implements AutoCloseable {
    final List<EventBatch> batches = new CopyOnWriteArrayList<>();
    final BlockingQueue<Hello> hellos = new LinkedBlockingQueue<>();
    final BlockingQueue<PolicyAck> policyAcks = new LinkedBlockingQueue<>();
    final BlockingQueue<String> tokens = new LinkedBlockingQueue<>();
    volatile boolean ack = true;
    volatile PolicyBundle onHello = PolicyBundle.newBuilder().setVersion(1).build();
    private final List<StreamObserver<RelayMessage>> streams = new CopyOnWriteArrayList<>();
    private final Server server;

    FakeRelay(String name) throws IOException {
        ServerInterceptor recordToken = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                tokens.add(String.valueOf(headers.get(RelayConnection.AUTHORIZATION)));
                return next.startCall(call, headers);
            }
        };
        server = InProcessServerBuilder.forName(name).addService(ServerInterceptors.intercept(new Service(),
                recordToken)).build().start();
    }

    /** Sends a policy set to every connected agent. */
    void push(PolicyBundle b) {
        for (StreamObserver<RelayMessage> s : streams) {
            synchronized (s) {
                s.onNext(RelayMessage.newBuilder().setPolicies(b).build());
            }
        }
    }

    long events() {
        return batches.stream().mapToLong(EventBatch::getEventsCount).sum();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Service extends AgentRelayGrpc.AgentRelayImplBase {
        @Override
        public StreamObserver<AgentMessage> connect(StreamObserver<RelayMessage> out) {
            streams.add(out);
            return new StreamObserver<>() {
                @Override
                public void onNext(AgentMessage m) {
                    switch (m.getKindCase()) {
                        case HELLO -> {
                            hellos.add(m.getHello());
                            synchronized (out) {
                                out.onNext(RelayMessage.newBuilder().setPolicies(onHello).build());
                            }
                        }
                        case BATCH -> {
                            batches.add(m.getBatch());
                            if (ack) {
                                synchronized (out) {
                                    out.onNext(RelayMessage.newBuilder().setAck(Ack.newBuilder()
                                            .setSequence(m.getBatch().getSequence())).build());
                                }
                            }
                        }
                        case POLICY_ACK -> policyAcks.add(m.getPolicyAck());
                        default -> {
                        }
                    }
                }

                @Override
                public void onError(Throwable t) {
                    streams.remove(out);
                }

                @Override
                public void onCompleted() {
                    streams.remove(out);
                    out.onCompleted();
                }
            };
        }
    }
}
