package dev.ward.relay.client;

import dev.ward.api.LogFilter;
import dev.ward.policy.KubeArmorPolicy;
import dev.ward.relay.api.Event;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An agent's relay link as the agent runs it (the real {@link RelayConnection}: batches, acknowledgements,
 * resends after a reconnection, backoff), without a workload: the test offers events to its buffer. Each
 * connection attempt dials the next of {@code relays} in turn, as a load balancer in front of several relays
 * hands a new connection to one that is up. In ward-relay's tests, in the client's package to reach it.
 */
public final class SimulatedAgent implements AutoCloseable {
    private final EventBuffer buffer;
    private final RelayConnection connection;
    private final FakeContext context;

    public SimulatedAgent(String container, List<String> relays, String token, int bufferSize, PrintStream log) {
        this.buffer = new EventBuffer(bufferSize);
        this.context = new FakeContext("sim-host", container, Map.of(), LogFilter.ALL, log);
        AtomicInteger attempt = new AtomicInteger();
        RelayConnection.ChannelFactory channels = () -> {
            String target = relays.get(Math.floorMod(attempt.getAndIncrement(), relays.size()));
            ManagedChannel c = NettyChannelBuilder.forTarget(target).usePlaintext().build();
            return c;
        };
        this.connection = new RelayConnection(channels, token, () -> RelayPlugin.hello(context, java.util.UUID.randomUUID().toString()), buffer,
                new PolicyApplier(context), new Backoff(50, 500), log, String.join(",", relays));
        connection.start();
    }

    /** Queues an event for the relay; false when the buffer was full (the event is dropped and counted). */
    public boolean offer(Event e) {
        return buffer.offer(e);
    }

    public long dropped() {
        return buffer.dropped();
    }

    public boolean connected() {
        return connection.connected();
    }

    public long sessions() {
        return connection.sessions();
    }

    /** The policy sets applied so far. */
    public int policySets() {
        return context.replacements();
    }

    public List<KubeArmorPolicy> policies() {
        return context.policies();
    }

    /** Waits up to {@code drain} for everything buffered to be acknowledged, then disconnects. */
    public void stop(Duration drain) {
        connection.stop(drain);
    }

    /** Events not acknowledged yet (buffered or in flight). */
    public long pending() {
        return buffer.size() + (long) connection.unacknowledged() * RelayConnection.BATCH;
    }

    @Override
    public void close() {
        connection.stop(Duration.ZERO);
    }
}
