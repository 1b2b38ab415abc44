package dev.ward.capture;

import dev.ward.bindings.Errno;
import dev.ward.bindings.ProcFs;
import dev.ward.bindings.Sockets;
import dev.ward.state.IntMap;
import java.nio.charset.StandardCharsets;

/**
 * What the capture keeps per traced process so that a redirect does not ask again: a pidfd, opened at its first
 * redirect (it outlives exec), and the executable's path, read at its first use and forgotten at exec. A pidfd of a
 * process that ended answers ESRCH, even when its pid was reused: it is then opened again and the path forgotten
 * with it. All are dropped beyond {@link #LIMIT} processes. Tracer thread only.
 */
final class ProcessHandles {
    static final int LIMIT = 1024;

    private final Sockets sockets;
    private final ProcFs proc;
    private final byte[] exe = new byte[ProcFs.PATH_MAX];
    private IntMap<Handle> handles = new IntMap<>(64);

    ProcessHandles(Sockets sockets, ProcFs proc) {
        this.sockets = sockets;
        this.proc = proc;
    }

    /** pidfd_getfd of {@code fd} of process {@code tgid}: the agent's copy, or -errno. */
    int take(int tgid, int fd) {
        Handle h = handles.get(tgid);
        int s = h == null ? -Errno.ESRCH : sockets.takeFd(h.pidfd, fd);
        if (s == -Errno.ESRCH) { // not opened yet, or the pidfd of an earlier process with this pid
            int pidfd = open(tgid);
            s = pidfd < 0 ? pidfd : sockets.takeFd(pidfd, fd);
        }
        return s;
    }

    /**
     * The executable of process {@code tgid} (its path), "" when it cannot be read; kept until its exec. Asked after
     * a {@link #take} of the same process, which found a pidfd of this very process.
     */
    String name(int tgid) {
        Handle h = handles.get(tgid);
        if (h != null && h.name != null) {
            return h.name;
        }
        int n = proc.exe(tgid, exe);
        String name = n > 0 ? new String(exe, 0, n, StandardCharsets.UTF_8) : "";
        if (h != null && n > 0) {
            h.name = name;
        }
        return name;
    }

    /** Process {@code tgid} ran execve: another executable from now on. */
    void execed(int tgid) {
        Handle h = handles.get(tgid);
        if (h != null) {
            h.name = null;
        }
    }

    /** A new pidfd for {@code tgid}, replacing an old one (and the path read with it), or -errno. */
    private int open(int tgid) {
        Handle old = handles.remove(tgid);
        if (old != null) {
            sockets.close(old.pidfd);
        }
        if (handles.size() >= LIMIT) {
            handles.forEachValue(h -> sockets.close(h.pidfd));
            handles = new IntMap<>(64);
        }
        int pidfd = sockets.pidfdOpen(tgid);
        if (pidfd >= 0) {
            handles.put(tgid, new Handle(pidfd));
        }
        return pidfd;
    }

    private static final class Handle {
        final int pidfd;
        String name;

        Handle(int pidfd) {
            this.pidfd = pidfd;
        }
    }
}
