package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * ptrace(2) and waitpid(2) for one tracer thread.
 *
 * <p>Threading: an instance belongs to the one OS thread that traces (the kernel ties tracees to the
 * tracing thread, not the process). It owns preallocated segments for the status word, registers,
 * event message and siginfo, so the stop loop allocates nothing. Hot-path methods return 0 or
 * {@code -errno} instead of throwing: {@code -ESRCH} (the tracee died under us) is routine.
 */
public final class Ptrace {
    public static final int PTRACE_CONT = 7;
    public static final int PTRACE_KILL = 8;
    public static final int PTRACE_DETACH = 17;
    public static final int PTRACE_SYSCALL = 24;
    public static final int PTRACE_SETOPTIONS = 0x4200;
    public static final int PTRACE_GETEVENTMSG = 0x4201;
    public static final int PTRACE_GETSIGINFO = 0x4202;
    public static final int PTRACE_SEIZE = 0x4206;
    public static final int PTRACE_INTERRUPT = 0x4207;
    public static final int PTRACE_LISTEN = 0x4208;
    public static final int PTRACE_GETREGSET = 0x4204;
    public static final int PTRACE_SETREGSET = 0x4205;
    /** The general registers' regset (elf.h): user_regs_struct on x86_64, user_pt_regs on aarch64. */
    public static final int NT_PRSTATUS = 1;
    /** aarch64: the number of the syscall the thread is in, apart from x8; an int. */
    public static final int NT_ARM_SYSTEM_CALL = 0x404;

    public static final int O_TRACESYSGOOD = 0x1;
    public static final int O_TRACEFORK = 0x2;
    public static final int O_TRACEVFORK = 0x4;
    public static final int O_TRACECLONE = 0x8;
    public static final int O_TRACEEXEC = 0x10;
    public static final int O_TRACEEXIT = 0x40;
    public static final int O_TRACESECCOMP = 0x80;
    public static final int O_EXITKILL = 0x100000;

    public static final int EVENT_FORK = 1;
    public static final int EVENT_VFORK = 2;
    public static final int EVENT_CLONE = 3;
    public static final int EVENT_EXEC = 4;
    public static final int EVENT_VFORK_DONE = 5;
    public static final int EVENT_EXIT = 6;
    public static final int EVENT_SECCOMP = 7;
    public static final int EVENT_STOP = 128;

    public static final int WNOHANG = 1;
    /** Only the calling thread's children and tracees, not those of the other threads of its process. */
    public static final int WNOTHREAD = 0x20000000;
    public static final int WALL = 0x40000000;

    /** Size of siginfo_t on Linux. */
    public static final long SIGINFO_SIZE = 128;

    private static final Arch ARCH = Arch.CURRENT;

    private final MemorySegment callState = CallStates.forTracer();
    private final MemorySegment status;
    private final MemorySegment regs;
    /** struct iovec {base, len} for the general registers, then one for the syscall number slot. */
    private final MemorySegment iov;
    private final MemorySegment eventMsg;
    private final MemorySegment sigInfo;

    public Ptrace() {
        Arena arena = Arena.ofAuto();
        status = arena.allocate(JAVA_INT);
        regs = arena.allocate(ARCH.regsBlockSize(), 8);
        iov = arena.allocate(32, 8);
        iov.set(JAVA_LONG, 0, regs.address());
        iov.set(JAVA_LONG, 16, regs.address() + ARCH.regsSize());
        iov.set(JAVA_LONG, 24, 4);
        eventMsg = arena.allocate(JAVA_LONG);
        sigInfo = arena.allocate(SIGINFO_SIZE, 8);
    }

    /** Attaches to {@code pid} without stopping it, with the given PTRACE_O_* options. */
    public void seize(int pid, int options) {
        long r = call(PTRACE_SEIZE, pid, 0, options);
        if (r < 0) {
            throw new NativeException("ptrace(PTRACE_SEIZE, " + pid + ")", (int) -r,
                    (int) -r == Errno.EPERM
                            ? "tracing is not permitted here: add the SYS_PTRACE capability, or check "
                            + "/proc/sys/kernel/yama/ptrace_scope and the container's seccomp profile"
                            : "");
        }
    }

    /** Resumes a stopped tracee, delivering {@code signal} (0 for none). */
    public int cont(int tid, int signal) {
        return (int) call(PTRACE_CONT, tid, 0, signal);
    }

    /** Resumes to the next syscall stop (used after a seccomp stop to see the syscall's exit). */
    public int syscall(int tid, int signal) {
        return (int) call(PTRACE_SYSCALL, tid, 0, signal);
    }

    /** Keeps a group-stopped tracee stopped while letting the tracer see later events (job control). */
    public int listen(int tid) {
        return (int) call(PTRACE_LISTEN, tid, 0, 0);
    }

    public int interrupt(int tid) {
        return (int) call(PTRACE_INTERRUPT, tid, 0, 0);
    }

    public int detach(int tid, int signal) {
        return (int) call(PTRACE_DETACH, tid, 0, signal);
    }

    /**
     * Reads the tracee's general registers into {@link #regs()} (PTRACE_GETREGSET NT_PRSTATUS). A thread in a 32-bit
     * mode gives a shorter block of another layout: see {@link #nativeRegs()}.
     */
    public int getRegs(int tid) {
        iov.set(JAVA_LONG, 8, ARCH.regsSize());
        regs.set(JAVA_LONG, ARCH.regsSize(), 0); // no syscall number to set
        return (int) call(PTRACE_GETREGSET, tid, NT_PRSTATUS, iov.address());
    }

    /** Whether the last {@link #getRegs} read the native 64-bit block, in which {@link Regs} is meaningful. */
    public boolean nativeRegs() {
        return iov.get(JAVA_LONG, 8) == ARCH.regsSize() && ARCH.nativeMode(regs);
    }

    /**
     * Writes {@link #regs()} back to the tracee, and the syscall number {@link Arch#setSyscallNr} left apart from
     * the block (aarch64's NT_ARM_SYSTEM_CALL), if any.
     */
    public int setRegs(int tid) {
        iov.set(JAVA_LONG, 8, ARCH.regsSize());
        int r = (int) call(PTRACE_SETREGSET, tid, NT_PRSTATUS, iov.address());
        if (r == 0 && regs.get(JAVA_INT, ARCH.regsSize() + 4) != 0) {
            regs.set(JAVA_INT, ARCH.regsSize() + 4, 0);
            r = (int) call(PTRACE_SETREGSET, tid, NT_ARM_SYSTEM_CALL, iov.address() + 16);
        }
        return r;
    }

    /** The event message (new pid, former tid, seccomp data); {@code Long.MIN_VALUE} on failure. */
    public long eventMsg(int tid) {
        long r = call(PTRACE_GETEVENTMSG, tid, 0, eventMsg.address());
        return r < 0 ? Long.MIN_VALUE : eventMsg.get(JAVA_LONG, 0);
    }

    /** Reads the pending signal's siginfo into {@link #sigInfo()}: fails with -EINVAL in a group-stop. */
    public int getSigInfo(int tid) {
        return (int) call(PTRACE_GETSIGINFO, tid, 0, sigInfo.address());
    }

    /**
     * waitpid(pid, &status, options): returns the pid that changed state, 0 with WNOHANG when none,
     * or -errno ({@code -ECHILD} when there are no children left). The status is in {@link #status()}.
     */
    public int waitpid(int pid, int options) {
        return (int) Libc.syscall(callState, Libc.SYS_WAIT4, pid, status.address(), options, 0, 0, 0);
    }

    public int status() {
        return status.get(JAVA_INT, 0);
    }

    /** The register block of the last {@link #getRegs}; see {@link Regs} for accessors. */
    public MemorySegment regs() {
        return regs;
    }

    public MemorySegment sigInfo() {
        return sigInfo;
    }

    private long call(int request, int pid, long addr, long data) {
        return Libc.syscall(callState, Libc.SYS_PTRACE, request, pid, addr, data, 0, 0);
    }

    // Decoding of the wait status word, as <sys/wait.h> macros do.
    public static boolean exited(int status) {
        return (status & 0x7f) == 0;
    }

    public static int exitCode(int status) {
        return (status >> 8) & 0xff;
    }

    public static boolean signaled(int status) {
        return ((status & 0x7f) + 1) >> 1 > 0 && (status & 0xff) != 0x7f;
    }

    public static int termSignal(int status) {
        return status & 0x7f;
    }

    public static boolean stopped(int status) {
        return (status & 0xff) == 0x7f;
    }

    public static int stopSignal(int status) {
        return (status >> 8) & 0xff;
    }

    /** The PTRACE_EVENT_* in a stop status, 0 for none. */
    public static int event(int status) {
        return (status >> 16) & 0xffff;
    }

    public static boolean coreDumped(int status) {
        return (status & 0x80) != 0;
    }
}
