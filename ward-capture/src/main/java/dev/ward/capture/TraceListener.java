package dev.ward.capture;

/**
 * What the tracer tells the layer above it. All calls come from the tracer thread, one at a time, so an
 * implementation needs no locking for state it alone touches; it must not block (a blocked tracer
 * stalls every traced thread).
 */
public interface TraceListener {
    /**
     * Whether this syscall needs to be decoded and decided at all right now (called at every trapped
     * stop, before any tracee memory is read). When false the tracer lets it run at once: what the
     * seccomp filter must trap is fixed at start, what the policies care about changes.
     */
    default boolean wants(Syscall syscall) {
        return true;
    }

    /**
     * The tracer keeps its threads' cwds and processes' uids in {@code facts}: called once, on the tracer thread,
     * before the first event. Without it a listener reads them from /proc ({@link ProcessFacts#unkept}).
     */
    default void tracing(ProcessFacts facts) {
    }

    /**
     * A trapped syscall is about to run. {@code event} is a flyweight: valid only until this method
     * returns; copy what must outlive it.
     */
    Verdict onSyscall(SyscallEvent event);

    /**
     * The exit of a syscall for which {@link #onSyscall} answered {@link Verdict#ALLOW_AND_REPORT_EXIT}:
     * {@code result} is its return value. Return false to revoke it: the tracer closes the descriptor an
     * open family call returned (by making the thread run close(2) before it resumes) and the call fails
     * with EACCES. Other families cannot be undone after the fact; returning false for them only makes
     * the result EACCES.
     */
    boolean onSyscallExit(int tid, int tgid, long result);

    /**
     * The close(2) the tracer injected to revoke a descriptor did not succeed ({@code result} is its
     * return value): the workload refused it, so the tracer killed its thread group.
     */
    default void onRevocationRefused(int tid, int tgid, long result) {
    }

    /** {@code parentTid} created {@code childTid}: a new process, or a thread when {@code thread}. */
    /**
     * A wider filter (see {@code Supervisor.widen}) could not be stacked onto thread {@code tid}: the calls it
     * adds run untraced there.
     */
    default void onWideningFailed(int tid, int tgid, String why) {
    }

    void onSpawn(int parentTid, int parentTgid, int childTid, boolean thread);

    /**
     * {@code tid} (now its process's leader) completed an execve; {@code formerTid} is the thread that
     * called it. The new image has not run an instruction yet: return false to kill the process now.
     */
    boolean onExec(int tid, int formerTid);

    /** {@code tid} of process {@code tgid} ended with wait status {@code status}. */
    void onExit(int tid, int tgid, int status);
}
