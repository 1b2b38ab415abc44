package dev.ward.relay.store;

/**
 * A history query: events at or after {@code sinceNanos}, oldest first.
 *
 * @param kind      null for both, else true for alerts and false for logs
 * @param container "" for every container
 * @param operation "" for every operation
 * @param limit     at most this many (positive)
 */
public record EventQuery(long sinceNanos, Boolean kind, String container, String operation, int limit) {
}
