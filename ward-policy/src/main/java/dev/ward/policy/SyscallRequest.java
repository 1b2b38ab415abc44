package dev.ward.policy;

import java.nio.charset.StandardCharsets;

/**
 * A reusable question about one system call for the audit-only {@code syscalls} rules, owned by one thread.
 *
 * <p>{@link #name} is the syscall name as spelled in the policy language ("unlink", "rmdir"); the tracer passes
 * the constant from its own syscall table, so nothing is allocated. {@link #path} is the path the syscall acts on
 * (empty when it has none) and {@link #source} the exe of the caller.
 */
public final class SyscallRequest {
    public String name;
    public final byte[] path = new byte[4096];
    public int pathLength;
    public final byte[] source = new byte[4096];
    public int sourceLength;

    final Scratch scratch = new Scratch();

    public SyscallRequest name(String n) {
        name = n;
        return this;
    }

    /** Sets {@link #path} from a string (tests and tools; allocates). */
    public SyscallRequest path(String p) {
        pathLength = Scratch.copy(p, path);
        return this;
    }

    /** Sets {@link #source} from a string (tests and tools; allocates). */
    public SyscallRequest source(String s) {
        sourceLength = Scratch.copy(s, source);
        return this;
    }

    @Override
    public String toString() {
        return new String(source, 0, sourceLength, StandardCharsets.UTF_8) + " " + name + "("
                + new String(path, 0, pathLength, StandardCharsets.UTF_8) + ")";
    }
}
