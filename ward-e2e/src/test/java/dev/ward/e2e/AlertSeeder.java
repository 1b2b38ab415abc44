package dev.ward.e2e;

import dev.ward.relay.api.AgentMessage;
import dev.ward.relay.api.AgentRelayGrpc;
import dev.ward.relay.api.Event;
import dev.ward.relay.api.EventBatch;
import dev.ward.relay.api.Hello;
import dev.ward.relay.api.RelayMessage;
import dev.ward.relay.api.feeder.Alert;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stores many alerts in a relay through its real ingest path: a hand-made agent that says Hello and sends
 * batches on the agent stream with the agent token, then waits until the relay acknowledged (stored) them all.
 * The alerts are spread evenly over a time window, so that the console's per-minute chart has a shape.
 */
final class AlertSeeder {
    private static final int BATCH = 500;
    private static final String[] POLICIES = {"ward-default-credentials", "ward-default-shells", "block-secrets",
        "ward-default-package-managers"};
    private static final String[] RESOURCES = {"/root/.aws/credentials", "/bin/bash", "/etc/shadow", "/usr/bin/apt"};
    private static final String[] OPERATIONS = {"File", "Process", "File", "Process"};
    private static final String[] SEVERITIES = {"7", "5", "9", "3"};

    private AlertSeeder() {
    }

    /** Sends {@code count} alerts of container {@code container}, timed between {@code window} ago and now. */
    static void seed(int port, String token, String container, int count, Duration window) throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create())
                .build();
        try {
            long batches = (count + BATCH - 1) / BATCH;
            AtomicLong acked = new AtomicLong();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            StreamObserver<AgentMessage> out = AgentRelayGrpc.newStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .connect(new StreamObserver<RelayMessage>() {
                        @Override
                        public void onNext(RelayMessage m) {
                            if (m.hasAck()) {
                                acked.set(m.getAck().getSequence());
                                if (m.getAck().getSequence() >= batches) {
                                    done.countDown();
                                }
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            failed.set(t);
                            done.countDown();
                        }

                        @Override
                        public void onCompleted() {
                            done.countDown();
                        }
                    });
            out.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setAgentId("seed-" + container)
                    .setContainerName(container).setTaskFamily("checkout").setVersion("seeded")
                    .setTaskArn("arn:aws:ecs:eu-west-1:123456789012:task/prod/5c1f0e2b9a7d4c3e8f6a1b2c3d4e5f60")
                    .setLogFilter("policy")).build());
            long end = System.currentTimeMillis() - 30_000;
            long step = window.toMillis() / count;
            for (int b = 0; b < batches; b++) {
                EventBatch.Builder batch = EventBatch.newBuilder().setSequence(b + 1);
                for (int i = b * BATCH; i < Math.min(count, (b + 1) * BATCH); i++) {
                    batch.addEvents(event(container, i, end - (long) (count - 1 - i) * step));
                }
                out.onNext(AgentMessage.newBuilder().setBatch(batch).build());
            }
            if (!done.await(120, TimeUnit.SECONDS) || failed.get() != null || acked.get() < batches) {
                throw new AssertionError("the relay stored " + acked.get() + " of " + batches + " seeded batches",
                        failed.get());
            }
            out.onCompleted();
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static Event event(String container, int i, long millis) {
        int kind = Math.floorMod(i * 7 + i / 97, POLICIES.length);
        return Event.newBuilder().setTimestampNanos(millis * 1_000_000L).setAlert(Alert.newBuilder()
                .setTimestamp(millis / 1000).setClusterName("ecs-prod").setHostName("ip-10-0-1-5")
                .setNamespaceName("payments").setPodName("checkout-task").setContainerName(container)
                .setContainerID("seeded" + i)
                .setContainerImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/checkout:1.4")
                .setHostPID(4000 + i).setPID(100 + i % 900).setPPID(7).setUID(0)
                .setProcessName(kind == 1 ? "/bin/bash" : "/usr/bin/cat").setParentProcessName("/usr/bin/python3")
                .setPolicyName(POLICIES[kind]).setSeverity(SEVERITIES[kind]).setTags("MITRE")
                .setMessage("seeded alert " + i).setType("MatchedPolicy").setSource("/usr/bin/python3 app.py")
                .setOperation(OPERATIONS[kind]).setResource(RESOURCES[kind]).setData("syscall=SYS_OPENAT")
                .setAction(kind == 2 ? "Block" : "Audit").setResult(kind == 2 ? "Permission denied" : "Passed")
                .setEnforcer("Ward"))
                .build();
    }
}
