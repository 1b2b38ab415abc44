package dev.ward.relay;

import dev.ward.relay.store.Store;
import dev.ward.relay.store.StoreException;
import dev.ward.relay.api.Event;
import io.grpc.Status;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stores agents' batches on one platform thread ("ward-relay-store"), many batches per transaction, and
 * acknowledges each batch to its agent once it is committed (FIFO, so acks arrive in order). A full queue
 * makes {@link #submit} wait: a slow database slows agents' acknowledgements (their buffers absorb it), never
 * watchers. When the store fails, the affected agents are disconnected: they reconnect and resend.
 */
final class EventWriter implements AutoCloseable {
    /** One batch to store and acknowledge. */
    record Pending(AgentSession session, long sequence, List<Event> events) {
    }

    private static final int MAX_EVENTS_PER_TRANSACTION = 20_000;

    private final Store store;
    private final AgentSessions agents;
    private final PrintStream log;
    private final Duration retention;
    private final ArrayBlockingQueue<Pending> queue = new ArrayBlockingQueue<>(1024);
    private final Thread thread;
    private volatile boolean closing;
    private long lastPrune = System.nanoTime();

    EventWriter(Store store, AgentSessions agents, Duration retention, PrintStream log) {
        this.store = store;
        this.agents = agents;
        this.retention = retention;
        this.log = log;
        this.thread = Thread.ofPlatform().daemon().name("ward-relay-store").start(this::loop);
    }

    void submit(Pending p) throws InterruptedException {
        queue.put(p);
    }

    private void loop() {
        List<Pending> work = new ArrayList<>();
        List<Store.Batch> rows = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            work.clear();
            rows.clear();
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    prune();
                    continue;
                }
                work.add(first);
                int events = first.events().size();
                Pending next;
                while (events < MAX_EVENTS_PER_TRANSACTION && (next = queue.poll()) != null) {
                    work.add(next);
                    events += next.events().size();
                }
            } catch (InterruptedException e) {
                if (closing) {
                    continue;
                }
                return;
            }
            for (Pending p : work) {
                rows.add(new Store.Batch(p.session().hello.getAgentId(), p.events()));
            }
            try {
                store.appendEvents(rows);
                for (Pending p : work) {
                    agents.markStored(p.session().hello.getAgentId(), p.sequence());
                    p.session().ack(p.sequence());
                }
            } catch (StoreException e) {
                log.println("ward relay: cannot store events (" + e.getMessage() + "); disconnecting the agents "
                        + "concerned, they will resend");
                for (Pending p : work) {
                    p.session().close(Status.UNAVAILABLE.withDescription("the relay cannot store events: "
                            + e.getMessage()));
                }
            }
            prune();
        }
    }

    private void prune() {
        if (retention.isZero() || System.nanoTime() - lastPrune < TimeUnit.MINUTES.toNanos(1)) {
            return;
        }
        lastPrune = System.nanoTime();
        long cutoff = System.currentTimeMillis() * 1_000_000L - retention.toNanos();
        try {
            store.pruneEvents(cutoff);
        } catch (StoreException e) {
            log.println("ward relay: cannot prune old events: " + e.getMessage());
        }
    }

    /** Stores what is queued (up to 10 s), then stops. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }
}
