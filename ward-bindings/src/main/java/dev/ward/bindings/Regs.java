package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * The x86_64 {@code struct user_regs_struct} as PTRACE_GETREGS fills it: 27 unsigned longs, 216 bytes.
 * Offsets are the kernel's ({@code arch/x86/include/asm/user_64.h}); {@code RegsTest} pins them.
 *
 * <p>At a syscall-entry stop, {@code orig_rax} holds the syscall number and rdi, rsi, rdx, r10, r8, r9
 * the six arguments; at syscall exit, {@code rax} holds the return value. Setting {@code orig_rax} to
 * -1 at entry makes the kernel skip the syscall and leave {@code rax} as the tracer set it.
 */
public final class Regs {
    public static final long SIZE = 216;
    public static final long R15 = 0;
    public static final long R14 = 8;
    public static final long R13 = 16;
    public static final long R12 = 24;
    public static final long RBP = 32;
    public static final long RBX = 40;
    public static final long R11 = 48;
    public static final long R10 = 56;
    public static final long R9 = 64;
    public static final long R8 = 72;
    public static final long RAX = 80;
    public static final long RCX = 88;
    public static final long RDX = 96;
    public static final long RSI = 104;
    public static final long RDI = 112;
    public static final long ORIG_RAX = 120;
    public static final long RIP = 128;
    public static final long CS = 136;
    public static final long EFLAGS = 144;
    public static final long RSP = 152;
    public static final long SS = 160;

    /** The x86_64 System V ABI's red zone below the stack pointer, which leaf code may use. */
    private static final long RED_ZONE = 128;
    /** Offsets of syscall arguments 0..5 in the x86_64 syscall ABI. */
    private static final long[] ARG = {RDI, RSI, RDX, R10, R8, R9};

    private Regs() {
    }

    public static long syscallNr(MemorySegment regs) {
        return regs.get(JAVA_LONG, ORIG_RAX);
    }

    public static long arg(MemorySegment regs, int index) {
        return regs.get(JAVA_LONG, ARG[index]);
    }

    public static void setArg(MemorySegment regs, int index, long value) {
        regs.set(JAVA_LONG, ARG[index], value);
    }

    /**
     * A 16-byte aligned address where {@code length} bytes fit on a stopped thread's stack below its 128-byte red
     * zone: memory the thread's code does not use at a syscall, for what the tracer makes it pass to one.
     */
    public static long belowRedZone(MemorySegment regs, long length) {
        return (regs.get(JAVA_LONG, RSP) - RED_ZONE - length) & ~15L;
    }

    public static long returnValue(MemorySegment regs) {
        return regs.get(JAVA_LONG, RAX);
    }

    /** Turns the pending syscall into a no-op that returns {@code -errno}. */
    public static void skipSyscall(MemorySegment regs, int errno) {
        regs.set(JAVA_LONG, ORIG_RAX, -1L);
        regs.set(JAVA_LONG, RAX, -(long) errno);
    }

    public static void setReturnValue(MemorySegment regs, long value) {
        regs.set(JAVA_LONG, RAX, value);
    }
}
