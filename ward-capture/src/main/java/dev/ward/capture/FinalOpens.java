package dev.ward.capture;

import dev.ward.bindings.Posix;
import dev.ward.bindings.ProcFs;
import dev.ward.bindings.Ptrace;
import dev.ward.bindings.Regs;
import dev.ward.bindings.TraceeMemory;
import dev.ward.state.IntMap;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * Opens decided for good at their entry: one stop instead of two. An open checked only at its entry could reach
 * another file than the one decided on in two ways, and this closes both; where it cannot, the open is checked at
 * its exit as before ({@link Verdict#ALLOW_FINAL} falls back to {@link Verdict#ALLOW_AND_REPORT_EXIT}).
 * <ul>
 *   <li>Its path memory changes after the tracer read it (another thread, or another process sharing the page).
 *       The path the listener decided on is written below the thread's stack red zone and the call pointed at
 *       it; /proc/PID/pagemap must show that page present, anonymous, private and mapped by this process alone,
 *       and the thread must share its memory with no other task, so nothing but the stopped thread could write
 *       it before the kernel reads it.</li>
 *   <li>What the path names changes (a symlink swapped, a directory renamed). Every call that changes names
 *       stops in the tracer ({@link SyscallTable#changesNames}): while one runs (until its exit stop), opens are
 *       checked at their exit; and one waits, before it runs, until every thread with an open let go at entry
 *       has stopped again (it is interrupted for that), so that no such open is still resolving. The listener
 *       sends only paths that it resolved in full and that only this container's processes can rename (not on
 *       a volume another container may share).</li>
 * </ul>
 * Tracer thread only.
 */
final class FinalOpens {

    private final Ptrace ptrace;
    private final TraceeMemory memory;
    private final IntMap<Task> tasks;
    private final DirCache dirs = new DirCache();
    private final byte[] path = new byte[ProcFs.PATH_MAX + 1];
    private final ArrayDeque<Task> held = new ArrayDeque<>();
    private int unverified;
    private int renaming;

    FinalOpens(Ptrace ptrace, TraceeMemory memory, IntMap<Task> tasks) {
        this.ptrace = ptrace;
        this.memory = memory;
        this.tasks = tasks;
    }

    /**
     * At an open's seccomp stop with {@code regs} read: points the call at a private copy of the decided path
     * and returns true (the caller resumes it with no exit stop), or returns false, changing nothing.
     */
    boolean tryFinal(Task t, SyscallEvent e, MemorySegment regs) {
        int n = e.pathLength();
        int arg = e.syscall().pathArg();
        if (renaming > 0 || !held.isEmpty() || t.shared || arg < 0 || n <= 0 || n >= path.length) {
            return false;
        }
        int fd = pagemap(t);
        if (fd < 0) {
            return false;
        }
        // Where the path already lies in memory no other process can write (private, anonymous, this
        // process's alone), and the path the listener decided on is the one written there (an absolute path,
        // as read), it stays; otherwise the decided path is copied below the red zone and the call pointed at it.
        long original = Regs.arg(regs, arg);
        if (e.pathAsRead() && privateRange(fd, original, e.rawLength() + 1)) {
            t.unverified = true;
            unverified++;
            return true;
        }
        long address = Regs.belowRedZone(regs, n + 1);
        System.arraycopy(e.path(), 0, path, 0, n);
        path[n] = 0;
        if (memory.write(t.tid, address, path, n + 1) != n + 1 || !privateRange(fd, address, n + 1)) {
            return false;
        }
        Regs.setArg(regs, arg, address);
        if (ptrace.setRegs(t.tid) != 0) {
            return false;
        }
        t.unverified = true;
        unverified++;
        return true;
    }

    /** Whether every page of {@code [address, address + length)} is private to the process (see TraceeMemory). */
    private boolean privateRange(int fd, long address, int length) {
        return memory.privatePage(fd, address)
                && ((address >>> TraceeMemory.PAGE_SHIFT) == ((address + length - 1) >>> TraceeMemory.PAGE_SHIFT)
                || memory.privatePage(fd, address + length - 1));
    }

    /** Any stop of {@code t}: an open it was let go with has ended. */
    void stopped(Task t) {
        if (t.unverified) {
            t.unverified = false;
            if (--unverified == 0) {
                release();
            }
        }
    }

    /**
     * A call that changes names, allowed: runs now with its exit stop awaited, or once every open let go at
     * entry has ended.
     */
    void nameChange(Task t) {
        dirs.clear();
        dirs.pause(true);
        if (unverified == 0) {
            start(t);
            return;
        }
        if (held.isEmpty()) {
            tasks.forEachValue(o -> {
                if (o.unverified) {
                    ptrace.interrupt(o.tid); // its event stop tells that its open is over
                }
            });
        }
        held.add(t);
    }

    /** The exit stop of a call that changes names. */
    void nameChanged(Task t) {
        t.renaming = false;
        renaming--;
        dirs.clear();
        dirs.pause(renaming > 0 || !held.isEmpty());
    }

    /** The canonical directories the tracer's event resolves with. */
    DirCache dirs() {
        return dirs;
    }

    /** {@code t} is gone (or its memory is new, after exec). */
    void forget(Task t, boolean exited) {
        if (t.pagemapFd >= 0) {
            Posix.close(t.pagemapFd);
            t.pagemapFd = -1;
        }
        if (!exited) {
            return;
        }
        if (t.renaming) {
            nameChanged(t);
        }
        held.remove(t);
        dirs.pause(renaming > 0 || !held.isEmpty());
        stopped(t);
    }

    private void start(Task t) {
        t.renaming = true;
        renaming++;
        ptrace.syscall(t.tid, 0);
    }

    private void release() {
        while (!held.isEmpty()) {
            start(held.poll());
        }
    }

    private int pagemap(Task t) {
        if (t.pagemapFd < 0) {
            try {
                t.pagemapFd = Posix.open("/proc/" + t.tid + "/pagemap", Posix.O_RDONLY | Posix.O_CLOEXEC);
            } catch (dev.ward.bindings.NativeException e) {
                return -1;
            }
        }
        return t.pagemapFd;
    }
}
