package dev.ward.relay.client;

import dev.ward.relay.api.Event;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events waiting for the relay. Bounded: when it is full the newest event is dropped and counted, so the
 * exporter thread never waits for the network. One producer (the exporter), one consumer (the sender).
 */
final class EventBuffer {
    private final ArrayBlockingQueue<Event> queue;
    private final AtomicLong dropped = new AtomicLong();

    EventBuffer(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Never blocks; false (and counted) when full. */
    boolean offer(Event e) {
        if (queue.offer(e)) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    /** Moves up to {@code max} events into {@code into}, waiting up to {@code waitMillis} for the first. */
    int drain(List<Event> into, int max, long waitMillis) throws InterruptedException {
        Event first = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
        if (first == null) {
            return 0;
        }
        into.add(first);
        return 1 + queue.drainTo(into, max - 1);
    }

    int size() {
        return queue.size();
    }

    long dropped() {
        return dropped.get();
    }
}
