package dev.ward.policy;

import java.nio.charset.StandardCharsets;

/**
 * A reusable question about one exec or file access, owned by one thread (a flyweight): fill the fields, ask
 * {@link PolicySet#process} or {@link PolicySet#file}, then reuse the object for the next event.
 *
 * <p>Paths are absolute and normalised (no "//", ".", ".." components, no trailing slash except for "/"), UTF-8
 * bytes, not NUL-terminated, at most 4096 bytes: the agent resolves them the way the kernel did before asking.
 *
 * <p>Lifetime: the answer never refers to this object, so it may be refilled as soon as the call returns. Not
 * thread-safe: one request object per thread.
 *
 * <pre>{@code
 * FileRequest q = new FileRequest();          // once per tracer thread
 * q.pathLength = copy(event.path, q.path);     // per event
 * q.sourceLength = copy(event.exe, q.source);
 * q.write = event.opensForWrite; q.uid = event.uid; q.ownerUid = event.fileUid;
 * Match m = policies.get().file(q);
 * }</pre>
 */
public final class FileRequest {
    public final byte[] path = new byte[4096];
    public int pathLength;
    public final byte[] source = new byte[4096];
    public int sourceLength;
    /** The operation modifies the file: O_WRONLY/O_RDWR/O_CREAT/O_TRUNC/O_APPEND, unlink, rename, chmod, link... */
    public boolean write;
    /** uid of the acting process, -1 unknown. */
    public int uid = -1;
    /**
     * Owner uid of the target file, -1 unknown. For a file about to be created, pass the owner of the directory it
     * is created in.
     */
    public int ownerUid = -1;

    /** Decision scratch space, so that deciding never allocates. */
    final Scratch scratch = new Scratch();

    /** Sets {@link #path} from a string (tests and tools; allocates). */
    public FileRequest path(String p) {
        pathLength = Scratch.copy(p, path);
        return this;
    }

    /** Sets {@link #source} from a string (tests and tools; allocates). */
    public FileRequest source(String s) {
        sourceLength = Scratch.copy(s, source);
        return this;
    }

    /** Sets {@link #write} (fluent, for tests). */
    public FileRequest write(boolean w) {
        write = w;
        return this;
    }

    /** Sets {@link #uid} and {@link #ownerUid} (fluent, for tests). */
    public FileRequest owner(int actingUid, int fileOwnerUid) {
        uid = actingUid;
        ownerUid = fileOwnerUid;
        return this;
    }

    /** Clears the per-event fields to their defaults. */
    public FileRequest reset() {
        pathLength = 0;
        sourceLength = 0;
        write = false;
        uid = -1;
        ownerUid = -1;
        return this;
    }

    @Override
    public String toString() {
        return new String(source, 0, sourceLength, StandardCharsets.UTF_8) + " -> "
                + new String(path, 0, pathLength, StandardCharsets.UTF_8) + (write ? " (write)" : "");
    }
}
