package dev.ward.capture;

import dev.ward.bindings.Errno;
import dev.ward.bindings.ProcFs;
import dev.ward.bindings.Ptrace;
import dev.ward.bindings.Regs;
import dev.ward.bindings.Signals;
import dev.ward.bindings.TraceeMemory;
import dev.ward.state.IntMap;
import java.lang.foreign.MemorySegment;

/**
 * The stop loop: waits for every traced thread's stops and answers each one, per ptrace(2).
 *
 * <p>Threading: {@link #run()} runs on the one platform thread that seized the workload; every ptrace
 * request is made from it. It also reaps every process of the workload: the agent is a child subreaper, so its
 * orphans come to the agent, still the tracer's tracees, and never linger as zombies. Children the agent's other
 * threads start untraced are left to whoever started them ({@link NextStop}: the tracer waits for its own only).
 *
 * <p>Hot path per seccomp stop: GETREGS, table lookup, decode into the reused {@link SyscallEvent},
 * listener verdict, then CONT (or SETREGS to deny). No allocation on it.
 */
final class Tracer {
    static final int OPTIONS = Ptrace.O_TRACESYSGOOD | Ptrace.O_TRACEFORK | Ptrace.O_TRACEVFORK
            | Ptrace.O_TRACECLONE | Ptrace.O_TRACEEXEC | Ptrace.O_TRACESECCOMP | Ptrace.O_EXITKILL;
    private static final int SYSCALL_STOP = Signals.SIGTRAP | 0x80;
    /** {@link #step}'s answer when the agent has no child left to wait for. */
    private static final long NO_CHILDREN = Long.MIN_VALUE;

    private final Ptrace ptrace;
    private final ProcFs proc = new ProcFs();
    private final Decoder decoder = new Decoder(proc);
    private final SyscallEvent event = new SyscallEvent();
    private final IntMap<Task> tasks = new IntMap<>(256);
    private final TraceListener listener;
    private final Revocation revocation;
    private final Widening widening;
    private final FinalOpens finals;
    private final MeshCapture mesh; // the mesh's transparent capture, or null when it is off
    final CpuFollower follower = new CpuFollower(TracerSettings.FOLLOW, CpuFollower.SLOW_NANOS); // read by Supervisor for diagnostics
    private final ProcessFacts facts;
    final NextStop next = NextStop.fromEnvironment(); // read by Supervisor for diagnostics
    private int mainPid;
    private int mainStatus = -1;
    long stops; // stops handled so far, read by Supervisor for diagnostics

    Tracer(Ptrace ptrace, TraceListener listener, ConnectRedirector redirector, ProcessFacts facts) {
        this.ptrace = ptrace;
        this.listener = listener;
        this.revocation = new Revocation(ptrace, listener);
        TraceeMemory memory = new TraceeMemory();
        this.widening = new Widening(ptrace, memory, listener);
        this.finals = new FinalOpens(ptrace, memory, tasks);
        this.mesh = redirector == null ? null : new MeshCapture(redirector, ptrace, listener, proc, memory);
        this.event.dirs = finals.dirs();
        this.event.proc = proc;
        this.facts = facts;
    }

    /** Registers the workload's first process, already seized. */
    void adopt(int pid) {
        Task t = new Task(pid, pid);
        t.known = true;
        t.started = true;
        tasks.put(pid, t);
        mainPid = pid;
    }

    /**
     * Stacks {@code filter} onto every traced thread: see {@link Widening}. Any thread; {@code await}: until the
     * tracer has begun (false on the tracer thread itself, before {@link #run}).
     */
    void widen(byte[] filter, boolean await) {
        widening.request(filter, await);
    }

    /** Runs until the workload's main process has ended; returns its wait status. */
    int run() {
        widening.prepare();
        try {
            return loop();
        } finally {
            widening.finish();
        }
    }

    /**
     * The body is {@link #step}: C1 compiles a method after a few hundred calls, a loop that never returns only
     * after ~60,000 iterations (OSR), which ran the body interpreted for seconds of a busy workload.
     */
    private int loop() {
        long lastStop = System.nanoTime();
        while (mainStatus < 0) {
            lastStop = step(lastStop);
            if (lastStop == NO_CHILDREN) {
                break;
            }
        }
        return mainStatus < 0 ? 0 : mainStatus;
    }

    /** Answers one stop or exit; returns its time (System.nanoTime), {@code lastStop} on EINTR, or NO_CHILDREN. */
    private long step(long lastStop) {
        if (widening.pending()) {
            widening.begin(tasks);
        }
        int tid = next.await(ptrace, lastStop);
        if (tid < 0) {
            if (tid == -Errno.EINTR) {
                return lastStop;
            }
            if (tid == -Errno.ECHILD) {
                return NO_CHILDREN; // nothing left to wait for
            }
            throw new IllegalStateException("waitpid: " + Errno.name(-tid));
        }
        stops++;
        int status = ptrace.status();
        if (Ptrace.stopped(status)) {
            onStop(tid, status);
        } else {
            onExit(tid, status);
        }
        return System.nanoTime();
    }

    private void onExit(int tid, int status) {
        Task t = tasks.remove(tid);
        if (t != null) {
            finals.forget(t, true);
        }
        int tgid = t != null ? t.tgid : tid;
        facts.gone(t, tid, tgid);
        listener.onExit(tid, tgid, status);
        if (tid == mainPid) {
            mainStatus = status;
        }
    }

    private void onStop(int tid, int status) {
        Task t = tasks.get(tid);
        if (t == null) {
            // An auto-attached child whose parent's fork/clone event has not arrived yet.
            t = new Task(tid, tid);
            tasks.put(tid, t);
        }
        follower.stopped(t);
        finals.stopped(t);
        int sig = Ptrace.stopSignal(status);
        switch (Ptrace.event(status)) {
            case Ptrace.EVENT_SECCOMP -> onSeccomp(t);
            case Ptrace.EVENT_FORK, Ptrace.EVENT_VFORK, Ptrace.EVENT_CLONE -> onClone(t, Ptrace.event(status));
            case Ptrace.EVENT_EXEC -> onExec(t);
            case Ptrace.EVENT_STOP -> onEventStop(t, sig);
            case 0 -> {
                if (sig == SYSCALL_STOP) {
                    onSyscallStop(t);
                } else if (t.widening == Widening.AWAIT_ENTRY) {
                    ptrace.syscall(tid, sig); // delivered; the widening waits for the next syscall
                } else if (t.injecting != 0) {
                    t.heldSignal = sig; // delivered once the injected close is undone
                    ptrace.syscall(tid, 0);
                } else {
                    ptrace.cont(tid, sig); // signal-delivery-stop: deliver it, never swallow
                }
            }
            default -> ptrace.cont(tid, 0);
        }
    }

    private void onSeccomp(Task t) {
        int tid = t.tid;
        if (t.widening != Widening.NONE && t.widening != Widening.SKIP_CALL) {
            widening.onSeccompStop(t); // its seccomp(2), or an entry reached before its interrupt showed
            return;
        }
        if (ptrace.getRegs(tid) < 0) {
            return; // killed while stopped; its exit will be reported
        }
        MemorySegment regs = ptrace.regs();
        Syscall s = SyscallTable.byNr(Regs.syscallNr(regs));
        boolean wanted = s != null && listener.wants(s);
        if (!wanted && (mesh == null || s == null || !mesh.worksOn(s.nr()))) {
            facts.resume(ptrace, t, Regs.syscallNr(regs), s); // to its exit stop if it changes facts kept
            return;
        }
        Verdict v = Verdict.ALLOW;
        if (wanted) {
            event.reset(tid, t.tgid, s);
            event.shared = t.shared;
            decoder.decode(regs, event);
            v = listener.onSyscall(event);
        }
        if (v == Verdict.DENY) {
            Regs.skipSyscall(regs, Errno.EACCES);
            ptrace.setRegs(tid);
            ptrace.cont(tid, 0);
            return;
        }
        if (mesh != null && mesh.atEntry(t, s, regs, v)) {
            return; // a connect redirected, skipped and resumed
        }
        if (v == Verdict.ALLOW_FINAL && finals.tryFinal(t, event, regs)) {
            ptrace.cont(tid, 0);
            return;
        }
        if (v != Verdict.ALLOW) {
            t.awaitingExit = true;
            t.syscall = s;
        }
        boolean changesFacts = facts.entering(t, Regs.syscallNr(regs), s);
        if (SyscallTable.changesNames(s)) {
            finals.nameChange(t); // resumed with its exit stop, now or once the opens let go at entry ended
        } else if (v != Verdict.ALLOW || t.peerRewrite || changesFacts) {
            ptrace.syscall(tid, 0);
        } else {
            ptrace.cont(tid, 0);
        }
    }

    private void onSyscallStop(Task t) {
        if (t.widening >= Widening.AWAIT_ENTRY) {
            widening.onSyscallStop(t);
            return;
        }
        if (t.injecting != 0) {
            revocation.proceed(t);
            if (t.injecting == 0 && t.widening == Widening.INTERRUPTED) {
                ptrace.interrupt(t.tid); // its interrupt came amid the revocation
            }
            return;
        }
        if (t.renaming) {
            finals.nameChanged(t);
        }
        facts.exited(t);
        if (t.peerRewrite) {
            mesh.atExit(t);
        }
        if (t.awaitingExit) {
            t.awaitingExit = false;
            if (ptrace.getRegs(t.tid) == 0) {
                long result = Regs.returnValue(ptrace.regs());
                if (!listener.onSyscallExit(t.tid, t.tgid, result)) {
                    revocation.revoke(t, result);
                    return;
                }
            }
        }
        ptrace.cont(t.tid, 0);
    }

    private void onClone(Task parent, int event) {
        long msg = ptrace.eventMsg(parent.tid);
        long flags = decoder.cloneFlags(ptrace, parent.tid);
        boolean thread = event == Ptrace.EVENT_CLONE && (flags & Decoder.CLONE_THREAD) != 0;
        // A vfork child shares the memory of a parent that waits, but not of the parent's other threads.
        boolean shares = thread || (flags & Decoder.CLONE_FILES) != 0
                || (flags & Decoder.CLONE_VM) != 0 && ((flags & Decoder.CLONE_VFORK) == 0 || parent.shared);
        ptrace.cont(parent.tid, 0);
        if (msg == Long.MIN_VALUE) {
            return;
        }
        int child = (int) msg;
        Task c = tasks.get(child);
        if (c == null) {
            c = new Task(child, child);
            tasks.put(child, c);
        }
        c.tgid = thread ? parent.tgid : child;
        c.known = true;
        // Its filters are its parent's at the clone, which the parent (stopped since) still has.
        c.filterGeneration = parent.filterGeneration;
        c.widening = c.filterGeneration < widening.generation() ? Widening.INTERRUPTED : Widening.NONE;
        parent.shared |= shares;
        c.shared |= shares;
        facts.spawned(parent, child, thread);
        listener.onSpawn(parent.tid, parent.tgid, child, thread);
        if (c.heldAtStart) {
            c.heldAtStart = false;
            c.started = true;
            resume(c);
        }
    }

    private void onExec(Task t) {
        long msg = ptrace.eventMsg(t.tid);
        int former = msg == Long.MIN_VALUE ? t.tid : (int) msg;
        // A non-leader thread that exec'd now carries the leader's tid; its old entry is gone.
        Task caller = former != t.tid ? tasks.remove(former) : t;
        if (caller != null && caller != t) {
            t.filterGeneration = caller.filterGeneration;
            t.widening = caller.widening;
            finals.forget(caller, true);
        }
        // exec ends every other thread, gives the process a memory of its own and unshares its descriptor table.
        t.shared = false;
        if (mesh != null) {
            mesh.execed(t.tid); // another executable: its path is read again
        }
        finals.forget(t, false); // a new memory: its pagemap is another file
        facts.execed(t, former);
        boolean awaiting = caller != null && caller.awaitingExit;
        t.awaitingExit = false;
        t.tgid = t.tid;
        if (awaiting) {
            // The execve succeeded: report it now, resuming with CONT skips its exit stop.
            listener.onSyscallExit(former, t.tgid, 0);
        }
        if (!listener.onExec(t.tid, former)) {
            // Refused after the kernel resolved the binary: kill before its first instruction.
            Signals.kill(t.tid, Signals.SIGKILL);
        }
        ptrace.cont(t.tid, 0);
    }

    private void onEventStop(Task t, int sig) {
        if (!t.started) {
            // The initial stop of an auto-attached child (reported with SIGTRAP under PTRACE_SEIZE).
            if (t.known) {
                t.started = true;
                resume(t);
            } else {
                t.heldAtStart = true; // resumed from onClone once we know whose thread it is
            }
            return;
        }
        boolean stopSignal = sig == Signals.SIGSTOP || sig == Signals.SIGTSTP
                || sig == Signals.SIGTTIN || sig == Signals.SIGTTOU;
        if (stopSignal) {
            ptrace.listen(t.tid); // group-stop: stay stopped, as job control expects (widened once it ends)
        } else if (t.injecting != 0) {
            ptrace.syscall(t.tid, 0); // amid a revocation, whose next stop is its close: interrupted again after
        } else if (t.widening != Widening.NONE) {
            widening.resumeTowardsEntry(t);
        } else {
            ptrace.cont(t.tid, 0); // PTRACE_INTERRUPT, or the end of a listened group-stop
        }
    }

    /** Lets a thread leave its initial stop: into a widening when its filters are older than the latest. */
    private void resume(Task t) {
        if (t.widening != Widening.NONE) {
            widening.resumeTowardsEntry(t);
        } else {
            ptrace.cont(t.tid, 0);
        }
    }
}
