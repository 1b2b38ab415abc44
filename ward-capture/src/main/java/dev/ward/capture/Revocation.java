package dev.ward.capture;

import dev.ward.bindings.Arch;
import dev.ward.bindings.Errno;
import dev.ward.bindings.Ptrace;
import dev.ward.bindings.Regs;
import dev.ward.bindings.Signals;
import java.lang.foreign.MemorySegment;

/**
 * Undoes an open the listener refused at its exit, without trusting the workload: the descriptor is closed by
 * a close(2) the thread is made to run, whose result is checked; a thread group that keeps the descriptor,
 * or that shares it with another task, is killed. Used by the {@link Tracer}, on its thread.
 */
final class Revocation {
    private static final Arch ARCH = Arch.CURRENT;
    private static final long SYS_CLOSE = ARCH.nr("close");
    private static final int INJECT_ENTER = 1;
    private static final int INJECT_EXIT = 2;

    private final Ptrace ptrace;
    private final TraceListener listener;

    Revocation(Ptrace ptrace, TraceListener listener) {
        this.ptrace = ptrace;
        this.listener = listener;
    }

    /**
     * Undoes a syscall the listener refused at its exit. For an open that returned a descriptor, the
     * thread is made to run close(fd) first: back up the instruction pointer over the syscall instruction with
     * close's number and fd as its argument ({@link Arch#callNext}), let it run, then restore the registers with the
     * original call failing with EACCES (see {@link #proceed}).
     *
     * <p>Revocation must not depend on the workload: when another task shares the descriptor table or
     * memory (it could use the descriptor before the close), or when the close does not return 0 (a
     * seccomp filter of the workload's own refused it, say), the whole thread group is killed instead.
     */
    void revoke(Task t, long result) {
        MemorySegment regs = ptrace.regs();
        if (t.syscall != null && t.syscall.family() == Family.OPEN && result >= 0) {
            if (t.shared) {
                Signals.kill(t.tgid, Signals.SIGKILL);
                ptrace.cont(t.tid, 0);
                return;
            }
            t.saveRegs(regs);
            ARCH.callNext(regs, SYS_CLOSE, result);
            ptrace.setRegs(t.tid);
            t.injecting = INJECT_ENTER;
            ptrace.syscall(t.tid, 0);
            return;
        }
        Regs.setReturnValue(regs, -Errno.EACCES);
        ptrace.setRegs(t.tid);
        ptrace.cont(t.tid, 0);
    }

    /** The next syscall stop of a thread in an injection: run the close, then check it and restore. */
    void proceed(Task t) {
        if (t.injecting == INJECT_ENTER) {
            t.injecting = INJECT_EXIT; // at close's entry: run it
            ptrace.syscall(t.tid, 0);
            return;
        }
        t.injecting = 0;
        MemorySegment regs = ptrace.regs();
        long closed = ptrace.getRegs(t.tid) == 0 ? Regs.returnValue(regs) : -Errno.ESRCH;
        if (closed != 0) {
            // The descriptor is still there: the workload kept it (its own filter refused close, or it was
            // killed meanwhile). It must not run another instruction with it.
            Signals.kill(t.tgid, Signals.SIGKILL);
            listener.onRevocationRefused(t.tid, t.tgid, closed);
            ptrace.cont(t.tid, 0);
            return;
        }
        t.restoreRegs(regs);
        Regs.setReturnValue(regs, -Errno.EACCES);
        ptrace.setRegs(t.tid);
        int sig = t.heldSignal;
        t.heldSignal = 0;
        ptrace.cont(t.tid, sig);
    }
}
