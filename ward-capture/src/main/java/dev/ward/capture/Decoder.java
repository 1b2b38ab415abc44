package dev.ward.capture;

import dev.ward.bindings.Arch;
import dev.ward.bindings.Errno;
import dev.ward.bindings.ProcFs;
import dev.ward.bindings.Regs;
import java.lang.foreign.MemorySegment;

/**
 * Fills a {@link SyscallEvent} from the registers of a stopped tracee: reads path strings out of its
 * memory and makes them absolute against its cwd or the dirfd argument. Owned by the tracer thread.
 */
final class Decoder {
    static final int CLONE_VM = 0x100;
    static final int CLONE_FILES = 0x400;
    static final int CLONE_VFORK = 0x4000;
    static final int CLONE_THREAD = 0x10000;
    /** -1 where the architecture has no fork or vfork (aarch64: only clone), which no syscall number is. */
    private static final long NR_FORK = Arch.CURRENT.nr("fork");
    private static final long NR_VFORK = Arch.CURRENT.nr("vfork");
    private final ProcFs proc;
    private final byte[] raw = new byte[ProcFs.PATH_MAX];
    private final byte[] base = new byte[ProcFs.PATH_MAX];
    private final byte[] joined = new byte[2 * ProcFs.PATH_MAX + 1];
    private final byte[] word = new byte[8];
    private int rawLength;

    Decoder(ProcFs proc) {
        this.proc = proc;
    }

    void decode(MemorySegment regs, SyscallEvent e) {
        for (int i = 0; i < 6; i++) {
            e.args[i] = Regs.arg(regs, i);
        }
        Syscall s = e.syscall;
        if (s.flagsArg() >= 0) {
            e.flags = e.args[s.flagsArg()];
        } else if (s.nr() == SyscallTable.NR_OPENAT2) { // openat2: struct open_how { u64 flags; u64 mode; u64 resolve; }
            e.flags = proc.read(e.tid, e.args[2], word, 8) == 8 ? longAt(word, 0) : 0;
        }
        if (s.pathArg() >= 0) {
            int dirfd = s.dirfdArg() >= 0 ? (int) e.args[s.dirfdArg()] : SyscallTable.AT_FDCWD;
            int n = resolve(e.tid, dirfd, e.args[s.pathArg()], e.path);
            e.pathDotDot = n >= 0 && Paths.hasDotDot(raw, rawLength);
            e.rawLength = rawLength;
            e.pathAsRead = n == rawLength && n > 0 && raw[0] == '/' && java.util.Arrays.equals(raw, 0, n, e.path, 0, n);
            if (n < 0) {
                e.pathErrno = -n;
            } else {
                e.pathLength = n;
            }
        }
        if (s.path2Arg() >= 0) {
            int dirfd = s.dirfd2Arg() >= 0 ? (int) e.args[s.dirfd2Arg()] : SyscallTable.AT_FDCWD;
            int n = resolve(e.tid, dirfd, e.args[s.path2Arg()], e.path2);
            e.path2Length = Math.max(0, n);
        }
        if (SyscallTable.namesFileByFd(s.nr())) { // fchmod(fd, ...), fchown, fsetxattr, fremovexattr: whatever fd names
            int n = proc.fdPath(e.tid, (int) e.args[0], e.path);
            e.pathLength = n > 0 && e.path[0] == '/' ? n : 0;
        } else if (s.nr() == SyscallTable.NR_UTIMENSAT && e.args[1] == 0) { // utimensat(fd, NULL, ...) changes fd's file
            int n = proc.fdPath(e.tid, (int) e.args[0], e.path);
            e.pathLength = n > 0 && e.path[0] == '/' ? n : 0;
            e.pathErrno = 0;
        }
        if (s.nr() == SyscallTable.NR_CONNECT || s.nr() == SyscallTable.NR_BIND) { // connect/bind(fd, addr, addrlen)
            int len = (int) Math.min(e.args[2], e.sockaddr.length);
            e.sockaddrLength = len > 0 ? Math.max(0, proc.read(e.tid, e.args[1], e.sockaddr, len)) : 0;
        }
    }

    /**
     * Reads the path at {@code address} and makes it absolute. An empty path (AT_EMPTY_PATH) names the
     * dirfd itself. Returns the length or -errno.
     */
    private int resolve(int tid, int dirfd, long address, byte[] out) {
        int n = proc.readString(tid, address, raw);
        rawLength = Math.max(0, n);
        if (n < 0) {
            return n;
        }
        if (n > 0 && raw[0] == '/') {
            return Paths.normalize(raw, n, out);
        }
        int baseLen = dirfd == SyscallTable.AT_FDCWD ? proc.cwd(tid, base) : proc.fdPath(tid, dirfd, base);
        if (baseLen < 0) {
            return baseLen;
        }
        if (baseLen == 0 || base[0] != '/') {
            return -Errno.ENOENT; // a socket, pipe or anon inode: no path to resolve against
        }
        int j = Paths.join(base, baseLen, raw, n, joined);
        return j < 0 ? j : Paths.normalize(joined, j, out);
    }

    /**
     * At a fork/vfork/clone event stop the parent is inside the call that made the child: the clone flags it
     * amounts to. Unreadable flags count as sharing everything (the safe answer: decided in full, killed
     * rather than revoked).
     */
    long cloneFlags(dev.ward.bindings.Ptrace ptrace, int tid) {
        if (ptrace.getRegs(tid) < 0) {
            return CLONE_VM | CLONE_FILES;
        }
        MemorySegment regs = ptrace.regs();
        long nr = Regs.syscallNr(regs);
        if (nr == NR_FORK) {
            return 0;
        }
        if (nr == NR_VFORK) {
            return CLONE_VM | CLONE_VFORK;
        }
        if (nr == SyscallTable.NR_CLONE3) {
            if (proc.read(tid, Regs.arg(regs, 0), word, 8) != 8) {
                return CLONE_VM | CLONE_FILES;
            }
            return longAt(word, 0);
        }
        return Regs.arg(regs, 0);
    }

    /** The little-endian 64-bit word at {@code b[off..off+8)}: how tracee memory holds pointers and flags. */
    static long longAt(byte[] b, int off) {
        long v = 0;
        for (int i = off + 7; i >= off; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }
}
