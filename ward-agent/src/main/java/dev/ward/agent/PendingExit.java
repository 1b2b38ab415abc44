package dev.ward.agent;

import dev.ward.api.telemetry.Telemetry;

/** Per-thread state between a syscall's entry and exit; one reused slot per thread. */
final class PendingExit {
    boolean active;
    /** Re-decide on the file actually opened (its fd's path) at exit. */
    boolean verify;
    boolean writes;
    /** Another task shares the descriptor table: a block found at exit kills rather than revokes. */
    boolean shared;
    dev.ward.capture.Syscall syscall;
    /** The report to send with the result, or null. */
    Telemetry report;
}
