package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * How often the calling thread was preempted: {@code ru_nivcsw} of {@code getrusage(RUSAGE_THREAD)}, the times it was
 * taken off its CPU while it could still run, which is what a thread that polls costs the others on a busy machine.
 * Read without allocating.
 *
 * <p>Threading: one instance per thread; {@link #involuntarySwitches} reads the calling thread's count.
 */
public final class ThreadUsage {
    private static final int RUSAGE_THREAD = 1;
    /** struct rusage on 64-bit Linux: two struct timeval (32 bytes), then 14 longs; ru_nivcsw is the last. */
    static final int SIZE = 144;
    static final long NIVCSW = 136;

    private final MemorySegment callState = CallStates.forTracer();
    private final MemorySegment usage = Arena.ofAuto().allocate(SIZE, 8);

    /** The calling thread's involuntary context switches so far, or -1 when the kernel does not say. */
    public long involuntarySwitches() {
        long r = Libc.syscall(callState, Libc.SYS_GETRUSAGE, RUSAGE_THREAD, usage.address(), 0, 0, 0, 0);
        return r < 0 ? -1 : usage.get(JAVA_LONG, NIVCSW);
    }
}
