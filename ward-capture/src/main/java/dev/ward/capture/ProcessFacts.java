package dev.ward.capture;

import dev.ward.bindings.ProcFs;
import dev.ward.state.IntMap;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a report says of who and where: each thread's cwd and each process's real uid, read from /proc once and kept
 * for as long as they are exact, so that a steady stream of reported events of one process reads /proc no more.
 *
 * <p>Kept only when the filter stops every call that changes them ({@link Family#CWD_UID}): chdir and fchdir
 * (and an fchdir the spawn gate answered instead: {@link #gateCrossed}), setuid, setreuid and setresuid; and for a
 * cwd, every call that changes what a name leads to ({@link SyscallTable#changesNames}: a rename of a directory on
 * its way changes the cwd's name), for a cwd on the container's own filesystem only ({@link Volumes#onRoot}), whose
 * names no untraced process changes. Each such call empties both tables at its entry and its exit, and nothing is
 * kept while one runs. A new thread or process starts with its creator's cwd, and a process with the uid of a
 * creating leader; an exec forgets the process's uid (read again, as before). Otherwise, and when not kept, every
 * answer is read from /proc.
 *
 * <p>Tracer thread only ({@link TraceListener#tracing} hands it to the listener); the gate's count is the one value
 * another thread (the spawner's) writes.
 */
public final class ProcessFacts {
    private final boolean kept;
    private final AtomicLong gateCrossings;
    private final ProcFs proc = new ProcFs();
    private final byte[] buffer = new byte[ProcFs.PATH_MAX];
    private IntMap<String> cwds = new IntMap<>(256);
    private IntMap<Integer> uids = new IntMap<>(256);
    private int changing;
    private long gateSeen;

    ProcessFacts(boolean kept, AtomicLong gateCrossings) {
        this.kept = kept;
        this.gateCrossings = gateCrossings;
    }

    /** Facts read from /proc at every question: for a listener that runs with no tracer (tests). */
    public static ProcessFacts unkept() {
        return new ProcessFacts(false, new AtomicLong());
    }

    /** The cwd of thread {@code tid} (readlink /proc/TID/cwd), "" when unreadable. */
    public String cwd(int tid) {
        checkGate();
        String cwd = keeping() ? cwds.get(tid) : null;
        if (cwd != null) {
            return cwd;
        }
        int n = proc.cwd(tid, buffer);
        cwd = n > 0 ? new String(buffer, 0, n, StandardCharsets.UTF_8) : "";
        if (keeping() && n > 0 && buffer[0] == '/' && Volumes.instance().onRoot(buffer, n)) {
            cwds.put(tid, cwd);
        }
        return cwd;
    }

    /** The real uid of process {@code tgid} (the first field of Uid: in /proc/TGID/status), or -1. */
    public int uid(int tgid) {
        Integer uid = keeping() ? uids.get(tgid) : null;
        if (uid != null) {
            return uid;
        }
        int read = proc.uid(tgid);
        if (keeping() && read >= 0) {
            uids.put(tgid, read);
        }
        return read;
    }

    /**
     * At the entry of a call the tracer lets run: when it may change a cwd or a uid, forgets them and returns true;
     * the caller then stops the call at its exit ({@link #exited}).
     */
    boolean entering(Task t, long nr, Syscall s) {
        if (!kept || !SyscallTable.changesCwdOrUid(nr) && (s == null || !SyscallTable.changesNames(s))) {
            return false;
        }
        if (!t.changingFacts) {
            t.changingFacts = true;
            changing++;
        }
        forgetAll();
        return true;
    }

    /** Lets a call the listener does not want run on: to its exit stop when it may change a cwd or a uid. */
    void resume(dev.ward.bindings.Ptrace ptrace, Task t, long nr, Syscall s) {
        if (entering(t, nr, s)) {
            ptrace.syscall(t.tid, 0);
        } else {
            ptrace.cont(t.tid, 0);
        }
    }

    /** The exit stop of a call {@link #entering} saw (or its thread is gone). */
    void exited(Task t) {
        if (t.changingFacts) {
            t.changingFacts = false;
            changing--;
            forgetAll();
        }
    }

    /** {@code parent} made {@code child}: its cwd is the parent thread's, its uid (a process's) a leader's. */
    void spawned(Task parent, int child, boolean thread) {
        checkGate();
        if (!keeping()) {
            return;
        }
        String cwd = cwds.get(parent.tid);
        if (cwd != null) {
            cwds.put(child, cwd);
        }
        Integer uid = uids.get(parent.tgid);
        if (!thread && uid != null && parent.tid == parent.tgid) { // another thread's credentials may differ
            uids.put(child, uid);
        }
    }

    /**
     * {@code t} exec'd, called by thread {@code former}: its uid is read again, its cwd now the former's. A leader
     * ended amid a call that changes facts by another thread's exec makes no exit stop: that call is over.
     */
    void execed(Task t, int former) {
        int tid = t.tid;
        exited(t);
        uids.remove(tid);
        cwds.remove(tid);
        cwds.remove(former);
    }

    /** Thread {@code tid} of {@code tgid} ended ({@code t} null when the tracer never knew it). */
    void gone(Task t, int tid, int tgid) {
        if (t != null) {
            exited(t);
        }
        cwds.remove(tid);
        if (tid == tgid) {
            uids.remove(tgid);
        }
    }

    /** An fchdir the gate answered ran untraced since the last look: no cwd kept is known to be right. */
    private void checkGate() {
        long crossings = gateCrossings.get();
        if (crossings != gateSeen) {
            gateSeen = crossings;
            cwds = new IntMap<>(256);
        }
    }

    private boolean keeping() {
        return kept && changing == 0;
    }

    private void forgetAll() {
        if (cwds.size() > 0) {
            cwds = new IntMap<>(256);
        }
        if (uids.size() > 0) {
            uids = new IntMap<>(256);
        }
    }
}
