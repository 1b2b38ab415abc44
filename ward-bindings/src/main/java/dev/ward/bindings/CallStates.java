package dev.ward.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * Errno capture segments ({@code Linker.Option.captureCallState}), made without {@link Libc}: Libc's class
 * initialization links the native calls (tens of ms, on the agent's ward-link thread during its start), and an
 * owner built meanwhile on another thread (the agent's Guard, its ProcFs) would wait for all of it just to allocate
 * its segment.
 */
final class CallStates {
    static final StructLayout LAYOUT = Linker.Option.captureStateLayout();

    private CallStates() {
    }

    /** A fresh segment; hot-path owners keep their own instead of Libc's thread-local one. */
    static MemorySegment fresh() {
        return Arena.ofAuto().allocate(LAYOUT);
    }

    /**
     * A segment for an owner that lives as long as the agent (the tracer's {@link Ptrace}, {@link ProcFs},
     * {@link TraceeMemory}): never freed, so a downcall need not hold its arena open and let it go again around each
     * call, as it does for a segment of an automatic arena (several calls per tracer stop, each paying that in
     * C1-compiled code).
     */
    static MemorySegment forTracer() {
        return Arena.global().allocate(LAYOUT);
    }
}
