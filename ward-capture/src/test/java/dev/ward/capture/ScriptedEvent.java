package dev.ward.capture;

import java.nio.charset.StandardCharsets;

/**
 * Builds {@link SyscallEvent}s without a tracer, so the layers above capture can be tested (and their
 * allocation measured) on scripted events. Shared through this module's test-jar.
 */
public final class ScriptedEvent {
    private ScriptedEvent() {
    }

    /** An event for syscall {@code name} by thread {@code tid} of {@code tgid} on {@code path}. */
    public static SyscallEvent of(String name, int tid, int tgid, String path, long flags) {
        Syscall s = SyscallTable.trapped().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
        SyscallEvent e = new SyscallEvent();
        e.proc = new dev.ward.bindings.ProcFs();
        e.reset(tid, tgid, s);
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(p, 0, e.path, 0, p.length);
        e.pathLength = p.length;
        e.flags = flags;
        e.args[0] = SyscallTable.AT_FDCWD;
        e.args[2] = flags;
        return e;
    }

    /** Re-targets {@code e} at {@code path} without allocating. */
    public static void retarget(SyscallEvent e, byte[] path) {
        System.arraycopy(path, 0, e.path, 0, path.length);
        e.pathLength = path.length;
    }
}
