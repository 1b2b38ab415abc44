package dev.ward.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * NUL-terminated strings and NULL-terminated string arrays (argv, envp) in native memory, written by bulk
 * copies from Java arrays.
 *
 * <p>Why not {@code Arena.allocateFrom(String)} and {@code setAtIndex(ADDRESS, ...)}: on first use each of them
 * makes the JDK generate classes at run time (a type switch over array kinds, and the lambda forms of an
 * address element accessor), which the start-up cache cannot hold. Spawning the workload was their first use,
 * so they cost 10 to 20 ms of the agent's start, on the thread that spawns. A copy from a heap segment
 * ({@link MemorySegment#copyFrom}) goes straight to the JDK's memory copy.
 */
final class CStrings {
    private CStrings() {
    }

    /** {@code value} as UTF-8 followed by a NUL byte, in {@code arena}. */
    static MemorySegment of(Arena arena, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        MemorySegment s = arena.allocate(bytes.length + 1L); // zeroed: the last byte is the NUL
        s.copyFrom(MemorySegment.ofArray(bytes));
        return s;
    }

    /** A {@code char *[]} of {@code values} ended by NULL, the strings in {@code arena} too. */
    static MemorySegment array(Arena arena, List<String> values) {
        long[] addresses = new long[values.size() + 1]; // the last stays 0: NULL
        for (int i = 0; i < values.size(); i++) {
            addresses[i] = of(arena, values.get(i)).address();
        }
        MemorySegment array = arena.allocate((long) Long.BYTES * addresses.length, Long.BYTES);
        array.copyFrom(MemorySegment.ofArray(addresses));
        return array;
    }
}
