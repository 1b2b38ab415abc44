package dev.ward.relay;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A watcher's bounded queue: a ring under one lock, like ArrayBlockingQueue, plus {@link #offerAll} so an
 * agent's batch of hundreds of events costs one lock acquisition per watcher instead of one per event.
 * Publishers never wait: what does not fit is counted as lost.
 */
final class EventQueue {
    private final RelayEvent[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private int head;
    private int count;

    EventQueue(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("queue capacity must be positive: " + capacity);
        }
        ring = new RelayEvent[capacity];
    }

    /** Adds {@code e} if there is room. */
    boolean offer(RelayEvent e) {
        lock.lock();
        try {
            if (count == ring.length) {
                return false;
            }
            put(e);
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Adds the events {@code filter} matches, in order, while there is room; returns how many did not fit. */
    int offerAll(List<RelayEvent> events, EventFilter filter) {
        int lost = 0;
        boolean added = false;
        lock.lock();
        try {
            for (int i = 0, n = events.size(); i < n; i++) {
                RelayEvent e = events.get(i);
                if (!filter.matches(e)) {
                    continue;
                }
                if (count == ring.length) {
                    lost++;
                } else {
                    put(e);
                    added = true;
                }
            }
            if (added) {
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
        return lost;
    }

    /** The oldest event, waiting up to {@code timeout}; null if none came. */
    RelayEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (count == 0) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return take();
        } finally {
            lock.unlock();
        }
    }

    /** Moves up to {@code max} queued events into {@code to}; returns how many. */
    int drainTo(List<RelayEvent> to, int max) {
        lock.lock();
        try {
            int n = Math.min(max, count);
            for (int i = 0; i < n; i++) {
                to.add(take());
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    private void put(RelayEvent e) {
        int tail = head + count;
        ring[tail >= ring.length ? tail - ring.length : tail] = e;
        count++;
    }

    private RelayEvent take() {
        RelayEvent e = ring[head];
        ring[head] = null;
        head = head + 1 == ring.length ? 0 : head + 1;
        count--;
        return e;
    }
}
