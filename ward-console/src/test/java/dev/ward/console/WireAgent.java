package dev.ward.console;

import dev.ward.relay.api.AgentMessage;
import dev.ward.relay.api.AgentRelayGrpc;
import dev.ward.relay.api.Event;
import dev.ward.relay.api.EventBatch;
import dev.ward.relay.api.Hello;
import dev.ward.relay.api.PolicyBundle;
import dev.ward.relay.api.RelayMessage;
import dev.ward.relay.api.feeder.Alert;
import dev.ward.relay.api.feeder.Log;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An agent speaking the relay's AgentRelay protocol over a real gRPC connection: Hello, batches, acks, policies. */
final class WireAgent implements AutoCloseable, StreamObserver<RelayMessage> {
    final BlockingQueue<PolicyBundle> bundles = new LinkedBlockingQueue<>();
    private final BlockingQueue<Long> acks = new LinkedBlockingQueue<>();
    private final ManagedChannel channel;
    private final StreamObserver<AgentMessage> out;
    private long sequence;

    WireAgent(int port, String token, String container) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        Metadata auth = new Metadata();
        auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        out = AgentRelayGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth))
                .connect(this);
        out.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setAgentId("agent-" + container + "-"
                + System.nanoTime()).setContainerName(container).putLabels("app", container)
                .setTaskArn("arn:aws:ecs:eu-west-1:1:task/c/" + container).setTaskFamily("family-" + container)
                .setVersion("test")).build());
    }

    /** Sends one batch and waits until the relay stored it (its ack). */
    synchronized void sendAndWait(List<Event> events) throws InterruptedException {
        long seq = ++sequence;
        out.onNext(AgentMessage.newBuilder().setBatch(EventBatch.newBuilder().setSequence(seq).addAllEvents(events))
                .build());
        while (true) {
            Long a = acks.poll(30, TimeUnit.SECONDS);
            if (a == null) {
                throw new AssertionError("no ack for batch " + seq + " within 30 s");
            }
            if (a == seq) {
                return;
            }
        }
    }

    PolicyBundle nextBundle() throws InterruptedException {
        PolicyBundle b = bundles.poll(30, TimeUnit.SECONDS);
        if (b == null) {
            throw new AssertionError("no policy set within 30 s");
        }
        return b;
    }

    static Event alert(String container, int severity, long tsNanos, String resource, int pid, int ppid) {
        return Event.newBuilder().setTimestampNanos(tsNanos).setAlert(Alert.newBuilder().setType("MatchedPolicy")
                .setContainerName(container).setOperation("File").setResource(resource).setSource("/bin/cat")
                .setPolicyName("block-secrets").setSeverity(Integer.toString(severity)).setAction("Block")
                .setResult("Permission denied").setProcessName("/bin/cat").setParentProcessName("/bin/sh")
                .setPID(pid).setPPID(ppid).setTimestamp(tsNanos / 1_000_000_000L)).build();
    }

    static Event exec(String container, long tsNanos, int pid, int ppid, String process, String parent,
            String commandLine) {
        return Event.newBuilder().setTimestampNanos(tsNanos).setLog(Log.newBuilder().setType("ContainerLog")
                .setContainerName(container).setOperation("Process").setResource(commandLine).setSource(parent)
                .setProcessName(process).setParentProcessName(parent).setPID(pid).setPPID(ppid).setResult("Passed")
                .setTimestamp(tsNanos / 1_000_000_000L)).build();
    }

    @Override
    public void onNext(RelayMessage m) {
        if (m.hasPolicies()) {
            bundles.add(m.getPolicies());
        } else if (m.hasAck()) {
            acks.add(m.getAck().getSequence());
        }
    }

    @Override
    public void onError(Throwable t) {
        acks.add(-1L);
    }

    @Override
    public void onCompleted() {
        acks.add(-1L);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            out.onCompleted();
        } catch (RuntimeException e) {
            // already closed
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
