package dev.ward.relay.client;

import dev.ward.relay.api.AgentMessage;
import dev.ward.relay.api.AgentRelayGrpc;
import dev.ward.relay.api.Event;
import dev.ward.relay.api.EventBatch;
import dev.ward.relay.api.Hello;
import dev.ward.relay.api.MeshStatus;
import dev.ward.relay.api.MeshUpdate;
import dev.ward.relay.api.PolicyAck;
import dev.ward.relay.api.RelayMessage;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * The agent's link to the relay: one platform thread ("ward-relay") that dials out, sends Hello, resends
 * what was not acknowledged, then ships the buffer in batches; gRPC's threads deliver acks and policy sets.
 *
 * <p>Delivery is at least once: a batch stays in {@code inflight} until the relay acknowledges it (stored),
 * and after a reconnection every unacknowledged batch is sent again, in order. At most {@link #MAX_INFLIGHT}
 * batches are unacknowledged; beyond that new events wait in the {@link EventBuffer}, which drops and
 * counts when full. Reconnection uses {@link Backoff}.
 */
final class RelayConnection {
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final int BATCH = 512;
    static final int MAX_INFLIGHT = 32;
    private static final long POLL_MILLIS = 100;

    /** Opens a fresh channel per connection attempt (okhttp in the agent, in-process in tests). */
    interface ChannelFactory {
        ManagedChannel open();
    }

    /** The mesh's use of the stream (WARD_MESH=on): where the task is, and what the relay says the mesh is. */
    interface MeshLink {
        /** This task's MeshStatus, or null while it has no certificate. */
        MeshStatus status();

        void update(MeshUpdate update);
    }

    private final ChannelFactory channels;
    private final String token;
    private final Supplier<Hello> hello;
    private final EventBuffer buffer;
    private final PolicyApplier applier;
    private final Backoff backoff;
    private final PrintStream diagnostics;
    private final String target;
    private volatile MeshLink mesh;
    private volatile Session current;

    private final Object lock = new Object();
    private final ArrayDeque<EventBatch> inflight = new ArrayDeque<>(); // guarded by lock
    private long nextSequence; // guarded by lock
    private volatile boolean stopping;
    private volatile boolean connected;
    private volatile long sessions;
    private Thread thread;

    RelayConnection(ChannelFactory channels, String token, Supplier<Hello> hello, EventBuffer buffer,
            PolicyApplier applier, Backoff backoff, PrintStream diagnostics, String target) {
        this.channels = channels;
        this.token = token;
        this.hello = hello;
        this.buffer = buffer;
        this.applier = applier;
        this.backoff = backoff;
        this.diagnostics = diagnostics;
        this.target = target;
    }

    /** Before {@link #start}: the mesh rides on this stream. */
    void mesh(MeshLink link) {
        this.mesh = link;
    }

    /** The task's mesh status changed (a first certificate, new addresses): tell the relay now if connected. */
    void meshStatusChanged() {
        Session s = current;
        MeshLink link = mesh;
        MeshStatus status = link == null ? null : link.status();
        if (s != null && status != null) {
            s.send(AgentMessage.newBuilder().setMeshStatus(status).build());
        }
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("ward-relay").start(this::loop);
    }

    /** True while a session with the relay is up (the relay answered this connection). */
    boolean connected() {
        return connected;
    }

    /** Sessions the relay answered so far. */
    long sessions() {
        return sessions;
    }

    int unacknowledged() {
        synchronized (lock) {
            return inflight.size();
        }
    }

    /** Gives the buffer up to {@code drain} to reach the relay, then disconnects. */
    void stop(Duration drain) {
        long deadline = System.nanoTime() + drain.toNanos();
        while (connected && (buffer.size() > 0 || unacknowledged() > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopping = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (buffer.size() > 0 || unacknowledged() > 0) {
            diagnostics.println("ward: relay: " + (buffer.size() + (long) unacknowledged() * BATCH)
                    + " events or fewer were not delivered before exit");
        }
    }

    private void loop() {
        try {
            connectUntilStopped();
        } catch (RuntimeException | Error e) {
            // Never silent: the workload goes on under the last policy set, but nothing reaches the relay now.
            diagnostics.println("ward: relay: the connection to " + target + " stopped for good (" + e
                    + "); enforcing the last policy set, events are no longer sent");
        }
    }

    private void connectUntilStopped() {
        Hello h = hello.get();
        boolean reported = false;
        while (!stopping) {
            ManagedChannel channel = null;
            Session session = new Session();
            try {
                channel = channels.open();
                session.run(channel, h.toBuilder().setAppliedPolicyVersion(applier.appliedVersion()).build());
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                session.fail(Status.fromThrowable(e));
            } finally {
                connected = false;
                if (channel != null) {
                    channel.shutdownNow();
                }
            }
            if (stopping) {
                break;
            }
            if (session.answered) {
                backoff.reset();
                diagnostics.println("ward: relay: connection to " + target + " lost (" + describe(session.failure)
                        + "); enforcing the last policy set, buffering events, reconnecting");
                reported = false;
            } else if (!reported) {
                diagnostics.println("ward: relay: cannot reach " + target + " (" + describe(session.failure)
                        + "); retrying with backoff, events are buffered");
                reported = true;
            }
            try {
                Thread.sleep(backoff.nextDelayMillis());
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    private static String describe(Status s) {
        if (s == null) {
            return "closed";
        }
        return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
    }

    /** One stream to the relay; ends on error, on the relay closing it, or on stop. */
    private final class Session implements ClientResponseObserver<AgentMessage, RelayMessage> {
        private final CountDownLatch done = new CountDownLatch(1);
        private final Object sendLock = new Object();
        private ClientCallStreamObserver<AgentMessage> out;
        private volatile Status failure;
        private volatile boolean answered;

        @Override
        public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
            this.out = requestStream;
            requestStream.setOnReadyHandler(this::wake);
        }

        void run(ManagedChannel channel, Hello h) throws InterruptedException {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + token);
            AgentRelayGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .connect(this);
            send(AgentMessage.newBuilder().setHello(h).build());
            current = this;
            MeshLink link = mesh;
            MeshStatus status = link == null ? null : link.status();
            if (status != null) {
                send(AgentMessage.newBuilder().setMeshStatus(status).build());
            }
            List<EventBatch> resend;
            synchronized (lock) {
                resend = new ArrayList<>(inflight);
            }
            for (EventBatch b : resend) {
                send(AgentMessage.newBuilder().setBatch(b).build());
            }
            List<Event> events = new ArrayList<>(BATCH);
            while (done.getCount() > 0 && !stopping) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                synchronized (lock) {
                    if (inflight.size() >= MAX_INFLIGHT || !out.isReady()) {
                        lock.wait(POLL_MILLIS);
                        continue;
                    }
                }
                events.clear();
                if (buffer.drain(events, BATCH, POLL_MILLIS) == 0) {
                    continue;
                }
                EventBatch batch;
                synchronized (lock) {
                    batch = EventBatch.newBuilder().setSequence(++nextSequence).addAllEvents(events)
                            .setDroppedTotal(buffer.dropped()).build();
                    inflight.addLast(batch);
                }
                send(AgentMessage.newBuilder().setBatch(batch).build());
            }
            if (stopping && done.getCount() > 0) {
                synchronized (sendLock) {
                    out.onCompleted();
                }
            } else if (done.getCount() > 0) {
                out.cancel("agent stopping", null);
            }
        }

        private void send(AgentMessage m) {
            synchronized (sendLock) {
                if (done.getCount() > 0) {
                    out.onNext(m);
                }
            }
        }

        private void wake() {
            synchronized (lock) {
                lock.notifyAll();
            }
        }

        void fail(Status s) {
            if (current == this) {
                current = null;
            }
            if (failure == null) {
                failure = s;
            }
            done.countDown();
            wake();
        }

        @Override
        public void onNext(RelayMessage m) {
            if (!answered) {
                answered = true;
                connected = true;
                sessions++;
            }
            switch (m.getKindCase()) {
                case ACK -> {
                    long seq = m.getAck().getSequence();
                    synchronized (lock) {
                        while (!inflight.isEmpty() && inflight.peekFirst().getSequence() <= seq) {
                            inflight.pollFirst();
                        }
                        lock.notifyAll();
                    }
                }
                case POLICIES -> {
                    PolicyAck ack = applier.apply(m.getPolicies());
                    send(AgentMessage.newBuilder().setPolicyAck(ack).build());
                }
                case MESH -> {
                    MeshLink link = mesh;
                    if (link != null) {
                        link.update(m.getMesh());
                    }
                }
                default -> {
                    // A newer relay's message this agent does not know: ignore it.
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            fail(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            fail(Status.UNAVAILABLE.withDescription("the relay closed the stream"));
        }
    }
}
