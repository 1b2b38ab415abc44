package dev.ward.capture;

/** What the tracer does with a trapped syscall once the listener has looked at it. */
public enum Verdict {
    /** Let it run; nothing more to see. */
    ALLOW,
    /** Let it run and stop again at its exit, to report the result. */
    ALLOW_AND_REPORT_EXIT,
    /**
     * Let it run, decided for good at its entry: no stop at its exit, when the tracer can make that safe (see
     * {@code FinalOpens}); otherwise as {@link #ALLOW_AND_REPORT_EXIT}. For opens whose path the listener
     * resolved in full.
     */
    ALLOW_FINAL,
    /** Do not run it: the caller gets -1 with errno EACCES ("Permission denied"). */
    DENY
}
