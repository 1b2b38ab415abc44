package dev.ward.capture;

/**
 * What the tracer tells the layer above it. All calls come from the tracer thread, one at a time, so an
 * implementation needs no locking for state it alone touches; it must not block (a blocked tracer
 * stalls every traced thread).
 */
public interface TraceListener {
    /**
     * A trapped syscall is about to run. {@code event} is a flyweight: valid only until this method
     * returns; copy what must outlive it.
     */
    Verdict onSyscall(SyscallEvent event);

    /** The exit of a syscall for which {@link #onSyscall} answered {@link Verdict#ALLOW_AND_REPORT_EXIT}. */
    void onSyscallExit(int tid, int tgid, long result);

    /** {@code parentTid} created {@code childTid}: a new process, or a thread when {@code thread}. */
    void onSpawn(int parentTid, int parentTgid, int childTid, boolean thread);

    /** {@code tid} (now its process's leader) completed an execve; {@code formerTid} is the thread that called it. */
    void onExec(int tid, int formerTid);

    /** {@code tid} of process {@code tgid} ended with wait status {@code status}. */
    void onExit(int tid, int tgid, int status);
}
