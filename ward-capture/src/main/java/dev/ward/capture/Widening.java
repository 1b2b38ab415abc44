package dev.ward.capture;

import dev.ward.bindings.Arch;
import dev.ward.bindings.Errno;
import dev.ward.bindings.Ptrace;
import dev.ward.bindings.Regs;
import dev.ward.bindings.TraceeMemory;
import dev.ward.bindings.Wakeup;
import dev.ward.state.IntMap;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Stacks a wider seccomp filter onto every thread of a running workload, so that a policy that arrives after
 * the start can still stop the calls it needs (the first filter traps only what the start-time policies
 * needed: the rest runs at native speed).
 *
 * <p>A filter cannot be changed once installed, but a thread may add filters (it has no_new_privs, inherited
 * from the spawner), and the kernel answers each call with the strictest of all its filters' answers. Each
 * thread is made to call seccomp(2) itself, like {@link Revocation}'s close: the tracer interrupts it
 * (PTRACE_INTERRUPT), resumes it to its next syscall-entry stop, turns that call into
 * {@code seccomp(SECCOMP_SET_MODE_FILTER, 0, prog)} with the program written below its stack's red zone, and
 * at the exit stop restores the registers one instruction back ({@link Arch#restartSyscall}), so that the
 * original call runs again, now under both filters. A thread running only user code is widened at its next
 * syscall, before that call runs.
 * Threads created meanwhile inherit their creator's filters and are widened the same way when those are old.
 *
 * <p>Requests come from any thread ({@link #request}); everything else runs on the tracer thread, woken from
 * waitpid by {@link Wakeup}. Known limit: while a thread's program sits in its stack, another task sharing its
 * memory could rewrite it before the kernel copies it, and so keep the new rules from applying to that thread
 * (the first filter stays: nothing trapped before becomes untrapped).
 */
final class Widening {
    static final int NONE = 0;
    /** Interrupted; at its event stop it is resumed to its next syscall entry. */
    static final int INTERRUPTED = 1;
    static final int AWAIT_ENTRY = 2;
    /** Its seccomp(2) runs: a seccomp stop may come, then the exit stop. */
    static final int IN_CALL = 3;
    /** At the entry of a call of a foreign ABI (which the first filter refuses): wait for its exit. */
    static final int SKIP_CALL = 4;

    private static final int SECCOMP_SET_MODE_FILTER = 1;

    private static final Arch ARCH = Arch.CURRENT;

    private final Ptrace ptrace;
    private final TraceeMemory memory;
    private final TraceListener listener;
    private volatile byte[] program;
    private volatile int requested;
    private volatile int begun;
    private volatile int tracerTid;
    private volatile boolean finished;

    Widening(Ptrace ptrace, TraceeMemory memory, TraceListener listener) {
        this.ptrace = ptrace;
        this.memory = memory;
        this.listener = listener;
    }

    /**
     * Any thread: asks for {@code filter} (which must trace everything every earlier request traced) to be
     * stacked onto every traced thread; with {@code await}, returns once the tracer has begun, or the workload has
     * ended. The tracer thread itself asks without waiting, before its loop, which begins the request first.
     */
    void request(byte[] filter, boolean await) {
        int generation;
        synchronized (this) {
            program = filter;
            generation = ++requested;
        }
        while (await && begun < generation && !finished) {
            int tid = tracerTid;
            if (tid != 0) {
                Wakeup.ring(tid);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Tracer thread, before its loop: makes it wakeable. */
    void prepare() {
        tracerTid = Wakeup.prepare();
    }

    void finish() {
        finished = true;
    }

    boolean pending() {
        return requested != begun;
    }

    /** The generation every traced thread is being brought to. */
    int generation() {
        return begun;
    }

    /** Interrupts every thread whose filters are older than the latest request. */
    void begin(IntMap<Task> tasks) {
        int generation = requested;
        tasks.forEachValue(t -> {
            if (t.filterGeneration < generation && t.widening == NONE && t.started) {
                t.widening = INTERRUPTED;
                ptrace.interrupt(t.tid);
            } else if (!t.started) {
                t.widening = INTERRUPTED; // resumed into the widening at its initial stop
            }
        });
        begun = generation;
    }

    /** How a thread that is due leaves an event stop: towards its next syscall entry. */
    void resumeTowardsEntry(Task t) {
        t.widening = AWAIT_ENTRY;
        ptrace.syscall(t.tid, 0);
    }

    /**
     * A seccomp stop of a thread in a widening: of the seccomp(2) it was made to call (let run), or of a call it
     * entered before the interrupt that was to lead it there showed (the interrupt may land while it is already
     * stopped at this very entry, and then shows only after it): widened at this entry, which then runs again under
     * both filters, as at a syscall-entry stop.
     */
    void onSeccompStop(Task t) {
        if (t.widening == IN_CALL) {
            ptrace.syscall(t.tid, 0);
        } else {
            t.widening = AWAIT_ENTRY;
            inject(t);
        }
    }

    /** A syscall stop of a thread in a widening. */
    void onSyscallStop(Task t) {
        if (t.widening == AWAIT_ENTRY) {
            inject(t);
        } else if (t.widening == SKIP_CALL) {
            t.widening = AWAIT_ENTRY;
            ptrace.syscall(t.tid, 0);
        } else {
            restore(t);
        }
    }

    private void inject(Task t) {
        if (ptrace.getRegs(t.tid) < 0) {
            t.widening = NONE;
            return; // killed meanwhile
        }
        MemorySegment regs = ptrace.regs();
        if (!ptrace.nativeRegs()) {
            t.widening = SKIP_CALL;
            ptrace.syscall(t.tid, 0);
            return;
        }
        byte[] filter = program;
        int generation = begun;
        long address = Regs.belowRedZone(regs, 16 + filter.length);
        byte[] bytes = new byte[16 + filter.length];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) (filter.length / 8)).putLong(8, address + 16);
        System.arraycopy(filter, 0, bytes, 16, filter.length);
        int written = memory.write(t.tid, address, bytes, bytes.length);
        if (written != bytes.length) {
            t.widening = NONE;
            listener.onWideningFailed(t.tid, t.tgid, "cannot write the filter below its stack ("
                    + (written < 0 ? Errno.name(-written) : "short write") + ")");
            ptrace.cont(t.tid, 0);
            return;
        }
        t.saveRegs(regs);
        ARCH.setSyscallNr(regs, SyscallTable.NR_SECCOMP);
        Regs.setArg(regs, 0, SECCOMP_SET_MODE_FILTER);
        Regs.setArg(regs, 1, 0);
        Regs.setArg(regs, 2, address);
        ptrace.setRegs(t.tid);
        t.widening = IN_CALL;
        t.wideningTo = generation;
        ptrace.syscall(t.tid, 0);
    }

    /** At the injected seccomp's exit: the original call goes back to its syscall instruction. */
    private void restore(Task t) {
        long result = ptrace.getRegs(t.tid) == 0 ? Regs.returnValue(ptrace.regs()) : -Errno.ESRCH;
        MemorySegment regs = ptrace.regs();
        t.restoreRegs(regs);
        ARCH.restartSyscall(regs);
        ptrace.setRegs(t.tid);
        t.widening = NONE;
        if (result == 0) {
            t.filterGeneration = t.wideningTo;
        } else if (result != -Errno.ESRCH) {
            listener.onWideningFailed(t.tid, t.tgid, "seccomp(2) answered " + Errno.name((int) -result));
        }
        if (result == 0 && t.filterGeneration < begun) {
            resumeTowardsEntry(t); // a newer request came meanwhile
        } else {
            ptrace.cont(t.tid, 0);
        }
    }
}
