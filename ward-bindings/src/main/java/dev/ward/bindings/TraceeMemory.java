package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Writes into a stopped tracee's memory (what the tracer makes it run: a filter program, a private copy of a
 * path) and tells whether a page of it is the process's alone. {@link ProcFs} reads.
 *
 * <p>Threading: one instance per tracer thread; it owns its native buffers. No allocation per call.
 */
public final class TraceeMemory {
    /**
     * log2 of the kernel's page size, by which /proc/PID/pagemap is indexed: 4 KiB on x86_64, 4, 16 or 64 KiB on
     * aarch64 depending on the kernel's configuration.
     */
    public static final int PAGE_SHIFT = Long.numberOfTrailingZeros(Libc.call(Libc.callState(),
            Libc.LINKER.defaultLookup().find("getpagesize").orElseThrow(), 0, 0, 0, 0, 0, 0, 0));
    private static final long PAGE = 4096;

    private final MemorySegment callState = CallStates.forTracer();
    private final MemorySegment buffer;
    private final MemorySegment iovs;
    private final MemorySegment word;

    public TraceeMemory() {
        Arena arena = Arena.ofAuto();
        buffer = arena.allocate(2 * PAGE, 8);
        iovs = arena.allocate(32, 8);
        word = arena.allocate(8, 8);
        iovs.set(ADDRESS, 0, buffer); // every write comes from the buffer
    }

    /**
     * Writes {@code length} bytes of {@code data} (at most two pages) at {@code address} in process {@code pid}
     * (process_vm_writev: the pages must be writable); returns the count written or -errno.
     */
    public int write(int pid, long address, byte[] data, int length) {
        int n = Math.min(length, (int) (2 * PAGE));
        MemorySegment.copy(data, 0, buffer, JAVA_BYTE, 0, n);
        iovs.set(JAVA_LONG, 8, n);
        iovs.set(JAVA_LONG, 16, address);
        iovs.set(JAVA_LONG, 24, n);
        return (int) Libc.syscall(callState, Libc.SYS_PROCESS_VM_WRITEV, pid, iovs.address(), 1, iovs.address() + 16,
                1, 0);
    }

    /**
     * Whether the page at {@code address} of the process whose /proc/PID/pagemap {@code pagemapFd} is open is
     * present, private and anonymous, and mapped by that process alone (pagemap bits 63 set, 61 clear, 56 set):
     * memory no other process can write. False when unreadable.
     */
    public boolean privatePage(int pagemapFd, long address) {
        long r = Libc.syscall(callState, Libc.SYS_PREAD64, pagemapFd, word.address(), 8, (address >>> PAGE_SHIFT) * 8, 0,
                0);
        if (r != 8) {
            return false;
        }
        long v = word.get(JAVA_LONG, 0);
        return (v >>> 63 & 1) == 1 && (v >>> 61 & 1) == 0 && (v >>> 56 & 1) == 1;
    }
}
