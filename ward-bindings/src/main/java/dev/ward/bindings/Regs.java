package dev.ward.bindings;

import java.lang.foreign.MemorySegment;

/**
 * The stopped thread's registers as {@link Ptrace#regs()} holds them, through the accessors of {@link Arch#CURRENT}
 * (x86_64 {@code user_regs_struct}, aarch64 {@code user_pt_regs}): static shortcuts for the tracer's hot path.
 */
public final class Regs {
    /** The size of the register block of this architecture (for copies of it). */
    public static final long SIZE = Arch.CURRENT.regsSize();
    private static final Arch ARCH = Arch.CURRENT;

    private Regs() {
    }

    public static long syscallNr(MemorySegment regs) {
        return ARCH.syscallNr(regs);
    }

    public static long arg(MemorySegment regs, int index) {
        return ARCH.arg(regs, index);
    }

    public static void setArg(MemorySegment regs, int index, long value) {
        ARCH.setArg(regs, index, value);
    }

    /**
     * A 16-byte aligned address where {@code length} bytes fit on a stopped thread's stack below what its code may
     * use there (x86_64's 128-byte red zone): memory the thread's code does not use at a syscall, for what the
     * tracer makes it pass to one.
     */
    public static long belowRedZone(MemorySegment regs, long length) {
        return ARCH.belowStack(regs, length);
    }

    public static long returnValue(MemorySegment regs) {
        return ARCH.returnValue(regs);
    }

    /** Turns the pending syscall into a no-op that returns {@code -errno}. */
    public static void skipSyscall(MemorySegment regs, int errno) {
        ARCH.skipSyscall(regs, errno);
    }

    public static void setReturnValue(MemorySegment regs, long value) {
        ARCH.setReturnValue(regs, value);
    }
}
