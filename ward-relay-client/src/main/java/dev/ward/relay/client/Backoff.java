package dev.ward.relay.client;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential reconnection delay with jitter: 250 ms doubling up to a cap; reset after a good session. */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private long next;

    Backoff(long initialMillis, long maxMillis) {
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.next = initialMillis;
    }

    /** The delay before the next attempt, between half and all of the current step. */
    long nextDelayMillis() {
        long step = next;
        next = Math.min(maxMillis, next * 2);
        return step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
    }

    void reset() {
        next = initialMillis;
    }
}
