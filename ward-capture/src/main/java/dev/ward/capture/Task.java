package dev.ward.capture;

/** The tracer's bookkeeping for one traced thread. Touched only by the tracer thread. */
final class Task {
    final int tid;
    int tgid;
    /** Its parent's fork/clone event has been seen, so tgid is known. */
    boolean known;
    /** The initial stop of an auto-attached child has been consumed (or it was seized directly). */
    boolean started;
    /** Its initial stop arrived before its parent's event: resume it once the parent's event comes. */
    boolean heldAtStart;
    /** The listener asked to see the exit of the syscall now running. */
    boolean awaitingExit;
    /** The syscall now running, when awaitingExit. */
    Syscall syscall;
    /**
     * Another task may use this one's descriptor table or memory (a thread, CLONE_FILES, CLONE_VM without
     * VFORK). Sticky: never cleared. Such a task's opens are decided in full at entry, and one found
     * blocked only at exit is killed rather than revoked, since another task could use the descriptor in
     * between.
     */
    boolean shared;
    /** Progress of a close(2) the tracer makes this thread run to revoke a descriptor (0: none). */
    int injecting;
    /** A signal that arrived during the injection, delivered once the thread is restored. */
    int heldSignal;
    /** An open let go with no exit stop ({@link FinalOpens}); cleared at the thread's next stop. */
    boolean unverified;
    /** A call that changes what names lead where runs; its exit stop is awaited ({@link FinalOpens}). */
    boolean renaming;
    /** A call that may change a cwd or a uid runs; its exit stop is awaited ({@link ProcessFacts}). */
    boolean changingFacts;
    /** Its open /proc/TID/pagemap, or -1 ({@link FinalOpens}). */
    int pagemapFd = -1;
    /** Where this thread is in a {@link Widening} (its constants; NONE when not in one). */
    int widening;
    /** The {@link Widening} generation of its newest filter (0: the filter it started with). */
    int filterGeneration;
    /** The generation its seccomp(2) now running installs. */
    int wideningTo;
    /** A getpeername of a redirected socket runs: its exit stop rewrites the answer ({@link MeshCapture}). */
    boolean peerRewrite;
    /** The call is an accept on a socket strict inbound moved ({@link StrictAccept}), not a getpeername. */
    boolean accepting;
    /** That getpeername's socket inode and the buffer length it gave (an accept's too). */
    long peerInode;
    int peerLength;
    /** The {@link CpuFollower} window its stops are counted in, and their count. */
    int followWindow;
    int followStops;
    /** The registers to restore after an injection; allocated on first use. */
    private java.lang.foreign.MemorySegment savedRegs;

    Task(int tid, int tgid) {
        this.tid = tid;
        this.tgid = tgid;
    }

    /** Keeps {@code regs} to be put back after an injection ({@link Revocation}, {@link Widening}). */
    void saveRegs(java.lang.foreign.MemorySegment regs) {
        if (savedRegs == null) {
            savedRegs = java.lang.foreign.Arena.ofAuto().allocate(dev.ward.bindings.Regs.SIZE, 8);
        }
        java.lang.foreign.MemorySegment.copy(regs, 0, savedRegs, 0, dev.ward.bindings.Regs.SIZE);
    }

    /** Copies the registers {@link #saveRegs} kept into {@code regs}. */
    void restoreRegs(java.lang.foreign.MemorySegment regs) {
        java.lang.foreign.MemorySegment.copy(savedRegs, 0, regs, 0, dev.ward.bindings.Regs.SIZE);
    }
}
