package dev.ward.bench.relay;

import dev.ward.relay.api.AgentMessage;
import dev.ward.relay.api.AgentRelayGrpc;
import dev.ward.relay.api.Event;
import dev.ward.relay.api.EventBatch;
import dev.ward.relay.api.Hello;
import dev.ward.relay.api.RelayMessage;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many agent streams speaking the AgentRelay protocol by hand (one HTTP/2 connection carries many of them):
 * cheaper per agent than the real client, whose thread per connection would measure this JVM, not the relay.
 * Each agent remembers the newest policy set version it received and how many batches were acknowledged.
 */
final class SimulatedFleet {
    /**
     * One simulated agent's stream. Its batches are written from events encoded once ({@link #alerts}) with a
     * new sequence number in front: encoding 5 million events here would be this JVM's work measured as the
     * relay's (the relay still decodes every batch in full).
     */
    static class Agent extends ClientCall.Listener<RelayMessage> {
        final String id;
        volatile long policyVersion = -1;
        final AtomicLong acked = new AtomicLong();
        private volatile ClientCall<byte[], RelayMessage> call;
        private long sequence; // guarded by this
        volatile Status failed;

        Agent(String id) {
            this.id = id;
        }

        synchronized void connect(ManagedChannel channel, String token, String container) {
            call = channel.newCall(RAW_CONNECT, CallOptions.DEFAULT.withCallCredentials(bearer(token)));
            call.start(this, new Metadata());
            call.request(1);
            call.sendMessage(AgentMessage.newBuilder().setHello(Hello.newBuilder().setAgentId(id)
                    .setContainerName(container).setVersion("fleet-benchmark").setLogFilter("policy")).build()
                    .toByteArray());
        }

        /** Sends the pre-encoded {@code events} as this agent's next batch. */
        synchronized void send(byte[] events) {
            call.sendMessage(batchMessage(++sequence, events));
        }

        @Override
        public void onMessage(RelayMessage m) {
            if (m.hasPolicies()) {
                policyVersion = m.getPolicies().getVersion();
            } else if (m.hasAck()) {
                acked.set(m.getAck().getSequence());
                onAck();
            }
            call.request(1);
        }

        /** Called on gRPC's thread after each acknowledgement. */
        void onAck() {
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            if (!status.isOk()) {
                failed = status;
            }
        }
    }

    /** AgentMessage{batch = EventBatch{sequence, events}} from the pre-encoded events. */
    private static byte[] batchMessage(long sequence, byte[] events) {
        try {
            int batchSize = CodedOutputStream.computeUInt64Size(1, sequence) + events.length;
            byte[] out = new byte[CodedOutputStream.computeTagSize(2)
                    + CodedOutputStream.computeUInt32SizeNoTag(batchSize) + batchSize];
            CodedOutputStream o = CodedOutputStream.newInstance(out);
            o.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            o.writeUInt32NoTag(batchSize);
            o.writeUInt64(1, sequence);
            o.writeRawBytes(events);
            o.checkNoSpaceLeft();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connect with the agent's messages already serialized. */
    private static final MethodDescriptor<byte[], RelayMessage> RAW_CONNECT = AgentRelayGrpc.getConnectMethod()
            .toBuilder(new MethodDescriptor.Marshaller<byte[]>() {
                @Override
                public InputStream stream(byte[] value) {
                    return new ByteArrayInputStream(value);
                }

                @Override
                public byte[] parse(InputStream stream) {
                    throw new UnsupportedOperationException("client side only");
                }
            }, ProtoUtils.marshaller(RelayMessage.getDefaultInstance())).build();

    private SimulatedFleet() {
    }

    static List<Agent> agents(String prefix, int n) {
        List<Agent> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Agent(prefix + "-" + i));
        }
        return out;
    }

    /** {@code n} alerts encoded as EventBatch's events field (what {@link Agent#send} takes). */
    static byte[] alerts(String container, int n) {
        EventBatch.Builder b = EventBatch.newBuilder();
        long now = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < n; i++) {
            b.addEvents(Event.newBuilder().setTimestampNanos(now + i).setTid(100 + i).setCwd("/srv/").setAlert(
                    dev.ward.relay.api.feeder.Alert.newBuilder().setType("MatchedPolicy").setContainerName(container)
                            .setHostName("fleet-host").setPID(100).setPPID(1).setUID(1000).setProcessName("/bin/cat")
                            .setOperation("File").setResource("/etc/shadow").setPolicyName("block-shadow")
                            .setSeverity("5").setAction("Block").setResult("Permission denied")
                            .setTimestamp(now / 1_000_000_000L)));
        }
        return b.build().toByteArray();
    }

    static CallCredentials bearer(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata m = new Metadata();
                m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
                applier.apply(m);
            }
        };
    }
}
